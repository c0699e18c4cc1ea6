"""Intake: a new matter gets its number, its entry tier and deadlines, and its first event.

report_case() runs on the kernel (kernel.action.create): authorized on the place, one REPORTED
event and one outbox row telling the tier's people, in one transaction. It is re-exported by
cases/actions.py, the one door every caller uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren import rawsql
from shuren.cases.choices import (
    Channel,
    DeadlineStage,
    EventKind,
    PartySide,
    RiskLevel,
    Status,
    Tier,
)
from shuren.cases.deadlines import due_soon_window
from shuren.cases.estate import check_estate_tier, company_excluded, entered_estate_tier
from shuren.cases.intake.policy import check_report
from shuren.cases.models import Case, CaseCounter, CaseEvent, CaseParty, Category, IdempotencyKey
from shuren.cases.on_behalf import leaders_of
from shuren.cases.reach import reach_of
from shuren.cases.reference import spans_for
from shuren.cases.responsible import building_leaders, responsible_users
from shuren.cases.search import search_text_for
from shuren.cases.workflow.actions import tell
from shuren.cases.workflow.overdue import flag_for
from shuren.cases.workflow.photos import attach_photos, check_photo_count
from shuren.kernel.action import create, required
from shuren.workdays.current import current_calendar

if TYPE_CHECKING:
    from django.core.files import File

    from shuren.accounts.models import User
    from shuren.people.models import Person
    from shuren.places.models import Place

# --- Numbers and idempotency --------------------------------------------------------------------


def case_prefix() -> str:
    return getattr(settings, "SHUREN_CASE_PREFIX", "GC")


def _allocate_number(year: int) -> str:
    """The next GC-YYYY-NNNNNN, gapless: the UPDATE takes the counter row's lock until commit
    (a report that rolls back gives its number back). One statement with RETURNING, which
    both PostgreSQL and SQLite (3.35+) support."""
    prefix = case_prefix()
    table, last = rawsql.name(CaseCounter), rawsql.name(CaseCounter, "last")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 "  # noqa: S608 - names from _meta
            f"WHERE {rawsql.name(CaseCounter, 'prefix')} = %s "
            f"AND {rawsql.name(CaseCounter, 'year')} = %s RETURNING {last}",
            [prefix, year],
        )
        row = cursor.fetchone()
    if row is not None:
        return f"{prefix}-{year}-{row[0]:06d}"
    try:
        with transaction.atomic():
            CaseCounter.objects.create(prefix=prefix, year=year, last=1)
        return f"{prefix}-{year}-{1:06d}"
    except IntegrityError:
        # Another transaction created this year's row first; now it exists to update.
        return _allocate_number(year)


EXPIRED = object()  # what _replay() answers for a key it found too old and deleted


def _replay(actor: User | None, key: str, now: dt.datetime) -> Any:
    """The case an earlier request with this key created, None, or EXPIRED (key deleted).
    The system's reports (actor None: a partner system filing through Open311) keep their
    keys without a user; the caller namespaces them (the API key's id)."""
    found = IdempotencyKey.objects.filter(user=actor, key=key).select_related("case").first()
    if found is None:
        return None
    if found.created_at < now - IdempotencyKey.TTL:
        found.delete()  # expired: the key may be used again
        return EXPIRED
    case = found.case
    case.replayed = True
    return case


def _same_report(
    case: Case, *, place: Place, category: Category, title: str, description: str
) -> Case:
    """The case a key's first request made, when this request reports the same matter; a key
    sent again with another matter is a client's mistake that must not pass for success."""
    if (case.place_id, case.category_id, case.title, case.description) != (
        place.pk,
        category.pk,
        title.strip()[:200],
        description.strip(),
    ):
        raise ValidationError(
            _(
                "This Idempotency-Key was already used for another report. Send a new key "
                "with each new report."
            ),
            code="idempotency_key_reused",
        )
    return case


def purge_idempotency_keys(*, now: dt.datetime | None = None) -> int:
    """Forget keys older than 24 h (the sweep command calls this)."""
    now = now or timezone.now()
    deleted, _counts = IdempotencyKey.objects.filter(
        created_at__lt=now - IdempotencyKey.TTL
    ).delete()
    return deleted


# --- Report -------------------------------------------------------------------------------------


def _entry_tier(place: Place, tier: int | None, category: Category) -> tuple[int, list[Any]]:
    """The tier a new case starts at (the lowest with someone to answer, the estate tier only
    for what it handles: cases/estate.py) and those people."""
    if tier is not None:
        if tier not in Tier.values:
            raise ValidationError(_("There is no such tier."), code="invalid_tier")
        users = list(responsible_users(place, min(tier, Tier.SUBDISTRICT), category=category))
        if tier == Tier.ESTATE:
            check_estate_tier(category, users)
        return tier, users
    users = building_leaders(place)
    if users:
        return Tier.BUILDING, users
    if leaders_of(place):
        # Its leader has no login: it waits for them all the same, and the community's staff,
        # who act for them (代办, cases/on_behalf.py), are told.
        return Tier.BUILDING, list(responsible_users(place, Tier.COMMUNITY, category=category))
    users = list(responsible_users(place, Tier.ESTATE, category=category))
    if users:
        return Tier.ESTATE, users
    return Tier.COMMUNITY, list(responsible_users(place, Tier.COMMUNITY, category=category))


def _may_enter_at(actor: User, place: Place, tier: int, category: Category) -> bool:
    """Entering a case straight at a tier is for those who work at that tier or above; a
    property company's staff at the estate tier of its estates, for what it handles there."""
    reach = reach_of(actor)
    if reach.handles(place.path, tier):
        return True
    return (
        tier == Tier.ESTATE
        and any(place.path.startswith(path) for path in reach.company_paths)
        and not company_excluded(category)
    )


def report_case(
    *,
    actor: User | None,
    place: Place,
    category: Category,
    title: str,
    description: str = "",
    channel: str = Channel.ONLINE,
    reporter: Person | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    risk: str = RiskLevel.LOW,
    tier: int | None = None,
    parties: Sequence[tuple[Person, str]] = (),
    photos: Sequence[File] = (),
    idempotency_key: str = "",
    at: dt.datetime | None = None,
) -> Case:
    """Record a new matter. With an idempotency key, a retry within 24 h returns the same case
    (with `case.replayed` set) instead of creating another."""
    now = at or timezone.now()
    key = (idempotency_key or "").strip()[:100]
    # No look-up first: the key's unique constraint refuses a retry inside the report's own
    # transaction (waiting, on PostgreSQL, for a copy still in flight), which then rolls back
    # whole and the first case is answered instead. A first submission pays nothing for it.
    # With photos, look first all the same: a file written by an attempt that then rolls
    # back would stay on disk.
    if key and photos:
        existing = _replay(actor, key, now)
        if existing is not None and existing is not EXPIRED:
            return _same_report(
                existing, place=place, category=category, title=title, description=description
            )
    for _attempt in range(2):
        try:
            return _report_case(
                actor=actor,
                place=place,
                category=category,
                title=title,
                description=description,
                channel=channel,
                reporter=reporter,
                contact_name=contact_name,
                contact_phone=contact_phone,
                risk=risk,
                tier=tier,
                parties=parties,
                photos=photos,
                key=key,
                now=now,
            )
        except IntegrityError:
            existing = _replay(actor, key, now) if key else None
            if existing is None:
                raise
            if existing is not EXPIRED:
                return _same_report(
                    existing, place=place, category=category, title=title, description=description
                )
            # The key was older than 24 h and is gone now: report afresh, once.
    raise AssertionError("unreachable: the second attempt returns or raises")


def _report_case(
    *,
    actor: User | None,
    place: Place,
    category: Category,
    title: str,
    description: str,
    channel: str,
    reporter: Person | None,
    contact_name: str,
    contact_phone: str,
    risk: str,
    tier: int | None,
    parties: Sequence[tuple[Person, str]],
    photos: Sequence[File],
    key: str,
    now: dt.datetime,
) -> Case:
    title = required(title, _("Say in a few words what the matter is."))
    if channel not in Channel.values:
        raise ValidationError(_("There is no such channel."), code="invalid_channel")
    if risk not in RiskLevel.values:
        raise ValidationError(_("There is no such risk level."), code="invalid_risk")
    if not category.active:
        raise ValidationError(_("This category is no longer in use."), code="inactive_category")
    check_photo_count(photos)
    for _person, side in parties:
        if side not in PartySide.values:
            raise ValidationError(_("There is no such party side."), code="invalid_side")
    with create(
        actor=actor,
        perm="cases.report_case",
        on=place,
        at=now,
        denied=_("You may not do this to this case."),
    ) as act:
        if (
            tier is not None
            and actor is not None
            and not _may_enter_at(actor, place, tier, category)
        ):
            raise PermissionDenied(_("You may not enter a case at this tier."))
        if reporter is None and not contact_name.strip() and actor is not None:
            reporter_id = actor.person_id  # reporting for oneself
        else:
            reporter_id = reporter.pk if reporter is not None else None
        if actor is not None:
            check_report(
                actor,
                place,
                channel=channel,
                risk=risk,
                parties=bool(parties),
                for_someone=reporter_id != actor.person_id,
            )

        start_tier, users = _entry_tier(place, tier, category)
        spans = spans_for(category=category, risk=risk)
        calendar = current_calendar()
        case = Case(
            number=_allocate_number(timezone.localtime(now).year),
            title=title[:200],
            description=description.strip(),
            search_text=search_text_for(title[:200], description),
            category=category,
            channel=channel,
            place=place,
            place_path=place.path,
            reporter_id=reporter_id,
            contact_name=contact_name.strip()[:50],
            contact_phone=contact_phone.strip()[:20],
            recorded_by=actor,
            risk=risk,
            status=Status.REPORTED,
            current_tier=start_tier,
            max_tier=start_tier,
            reported_at=now,
            accept_due=spans[DeadlineStage.ACCEPT].after(now, calendar),
            resolve_due=spans[DeadlineStage.RESOLVE].after(now, calendar),
        )
        case.overdue = flag_for(
            case.accept_due, now, calendar, due_soon_window(spans[DeadlineStage.ACCEPT], calendar)
        )
        entered_estate_tier(case)
        case.save(force_insert=True)
        act.created(case)
        if key:
            # Straight after the case: a retry stops here, before any photo reaches the disk.
            IdempotencyKey.objects.create(user=actor, key=key, case=case, created_at=now)
        if parties:
            CaseParty.objects.bulk_create(
                CaseParty(case=case, person=person, side=side) for person, side in parties
            )
        attach_photos(case, photos, actor)
        told = tell("case.reported", users, case, actor, case.description[:500])
        act.record(
            CaseEvent(
                case=case,
                kind=EventKind.REPORTED,
                actor=actor,
                at=now,
                from_status="",
                to_status=case.status,
                from_tier=start_tier,
                to_tier=case.current_tier,
                data={"channel": channel, "notified": list(told.recipients), "photos": len(photos)},
            ),
            tell=told,
        )
        return case
