"""Every change to a case: the only writers of case state.

Each action is atomic: it locks the row, checks who may act (rules.py; `actor=None` is the
system, e.g. the overdue sweep — a view always passes request.user), checks the version the
client saw, validates the transition against workflow.TRANSITIONS, saves only the fields it
changed, writes exactly one CaseEvent, and writes the notifications in the same transaction
(their delivery is queued on commit). Illegal transitions raise CaseTransitionError, missing
reasons ValidationError, stale versions StaleVersion, refused permissions PermissionDenied.
Intake (report_case) lives in intake.py and is re-exported here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.access.conflicts import check_version
from shuren.cases import steps
from shuren.cases.deadlines import DeadlineStage, Span, spans_for
from shuren.cases.events import EventKind
from shuren.cases.intake import purge_idempotency_keys, report_case
from shuren.cases.models import (
    OPEN_STATUSES,
    Case,
    OverdueFlag,
    ResolutionMethod,
    Status,
    Tier,
)
from shuren.cases.responsible import responsible_users
from shuren.cases.sweep import Decision, DueFacts, decide, flag_of
from shuren.cases.workflow import Action, next_status
from shuren.places.models import Place
from shuren.places.paths import subtree_q

if TYPE_CHECKING:
    from shuren.accounts.models import User
    from shuren.people.models import Person, Team
    from shuren.workdays.calendar import WorkCalendar

__all__ = [
    "accept_case",
    "add_note",
    "assign_case",
    "close_case",
    "escalate_case",
    "follow_up_case",
    "merge_case",
    "purge_idempotency_keys",
    "reject_case",
    "repath_cases",
    "report_case",
    "resolve_case",
    "return_case",
    "reveal_contact_phone",
    "watch_deadline",
]


# --- Workflow -----------------------------------------------------------------------------------


@transaction.atomic
def accept_case(
    *,
    actor: User | None,
    case: Case,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """受理: the tier that holds the matter takes it on. Whoever accepts a matter nobody has been
    given yet becomes its 承办人 (assignee person), so the page says who is on it."""
    now = at or timezone.now()
    case = steps.begin(actor, case, "cases.accept_case", expected_version)
    from_status, from_tier = case.status, case.current_tier
    case.status = next_status(Action.ACCEPT, case.status)
    case.accepted_at = now
    case.overdue = flag_of(case, now, steps.calendar())
    fields = ["status", "accepted_at", "overdue"]
    data: dict[str, Any] = {}
    if (
        actor is not None
        and actor.person_id
        and not (case.assignee_person_id or case.assignee_team_id)
    ):
        case.assignee_person_id = actor.person_id
        fields.append("assignee_person")
        data["person"] = actor.person_id
    steps.save(case, fields)
    steps.event(
        case,
        kind=EventKind.ACCEPTED,
        actor=actor,
        at=now,
        from_status=from_status,
        from_tier=from_tier,
        note=note.strip(),
        data=data,
    )
    return case


def _team_serves(team: Team, place_path: str) -> bool:
    """A team may take a case at or below its home place, or in an estate it manages."""
    from shuren.cases.responsible import teams_serving

    return teams_serving(place_path).filter(pk=team.pk).exists()


@transaction.atomic
def assign_case(
    *,
    actor: User | None,
    case: Case,
    person: Person | None = None,
    team: Team | None = None,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """派单: give the matter to a person (a leader) and/or a team (a property company, a
    mediation workshop, any team that serves the place). The tier does not change: a case the
    community dispatches to the property company was still settled by the community's ladder."""
    if person is None and team is None:
        raise ValidationError(_("Choose a person or a team to assign to."), code="required")
    now = at or timezone.now()
    case = steps.begin(actor, case, "cases.assign_case", expected_version)
    if team is not None and not _team_serves(team, case.place_path):
        raise ValidationError(
            _("%(team)s does not serve this place.") % {"team": team.name},
            code="team_out_of_place",
        )
    from_status, from_tier = case.status, case.current_tier
    case.status = next_status(Action.ASSIGN, case.status)
    case.assignee_person = person
    case.assignee_team = team
    case.accepted_at = case.accepted_at or now
    case.overdue = flag_of(case, now, steps.calendar())
    steps.save(case, ["status", "assignee_person", "assignee_team", "accepted_at", "overdue"])
    notified = steps.notify(
        steps.assignee_users(case),
        case,
        kind="case.assigned",
        actor=actor,
        title=lambda: _("Assigned to you: %(title)s") % {"title": case.title},
        body=lambda: note.strip(),
    )
    steps.event(
        case,
        kind=EventKind.ASSIGNED,
        actor=actor,
        at=now,
        from_status=from_status,
        from_tier=from_tier,
        note=note.strip(),
        data={
            "person": person.pk if person else None,
            "person_name": person.name if person else "",
            "team": team.pk if team else None,
            "team_name": team.name if team else "",
            "notified": notified,
        },
    )
    return case


@transaction.atomic
def add_note(
    *,
    actor: User | None,
    case: Case,
    note: str,
    photos: Sequence[File] = (),
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """A line on the timeline: a call made, a visit paid, what a neighbour said; with the
    photos of a report that a resident added to this case as the same matter."""
    note = steps.required(note, _("Write the note."))
    steps.check_photo_count(photos)
    now = at or timezone.now()
    case = steps.begin(actor, case, "cases.add_note", expected_version)
    next_status(Action.ADD_NOTE, case.status)
    steps.save(case, [])
    steps.attach_photos(case, photos, actor)
    steps.event(
        case,
        kind=EventKind.NOTED,
        actor=actor,
        at=now,
        from_status=case.status,
        from_tier=case.current_tier,
        note=note,
        data={"photos": len(photos)} if photos else None,
    )
    return case


def _default_escalation_tier(place: Place, current: int) -> tuple[int, list[Any]]:
    """One tier up, skipping tiers where nobody answers for the place (never implicitly to 5)."""
    for candidate in range(current + 1, Tier.SUBDISTRICT + 1):
        users = list(responsible_users(place, candidate))
        if users:
            return candidate, users
    target = min(current + 1, Tier.BEYOND)
    return target, list(responsible_users(place, min(target, Tier.SUBDISTRICT)))


@transaction.atomic
def escalate_case(
    *,
    actor: User | None,
    case: Case,
    reason: str,
    to_tier: int | None = None,
    referred_to: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
    overdue_for: dt.datetime | None = None,
) -> Case:
    """上报: send the matter up the ladder with a reason; the new tier's post holders are told.

    One tier up by default (skipping a tier with nobody to answer), further with `to_tier`.
    Tier 5 is a referral outside the subdistrict (court, police, district): `referred_to`
    names where; the subdistrict staff are told. The assignees are cleared: the new tier
    decides who works on it. `overdue_for` is for the sweep: the deadline that ran out.
    """
    reason = steps.required(reason, _("Give the reason for escalating."))
    now = at or timezone.now()
    case = steps.begin(actor, case, "cases.escalate_case", expected_version)
    from_status, from_tier = case.status, case.current_tier
    new_status = next_status(Action.ESCALATE, case.status)
    if to_tier is None:
        if from_tier >= Tier.BEYOND:
            raise ValidationError(_("This case has already left the subdistrict."), code="top_tier")
        to_tier, users = _default_escalation_tier(case.place, from_tier)
    else:
        if not from_tier < to_tier <= Tier.BEYOND:
            raise ValidationError(
                _("A case can only be escalated to a higher tier (now %(tier)s).")
                % {"tier": Tier(from_tier).label},
                code="not_higher",
            )
        users = list(responsible_users(case.place, min(to_tier, Tier.SUBDISTRICT)))
    case.status = new_status
    case.current_tier = to_tier
    case.max_tier = max(case.max_tier, to_tier)
    case.assignee_person = None
    case.assignee_team = None
    fields = ["status", "current_tier", "max_tier", "assignee_person", "assignee_team"]
    if overdue_for is not None:
        case.escalated_for = overdue_for
        fields.append("escalated_for")
    steps.save(case, fields)
    notified = steps.notify(
        users,
        case,
        kind="case.escalated",
        actor=actor,
        title=lambda: (
            _("Escalated to %(tier)s: %(title)s")
            % {"tier": Tier(to_tier).label, "title": case.title}
        ),
        body=lambda: reason,
    )
    steps.event(
        case,
        kind=EventKind.ESCALATED,
        actor=actor,
        at=now,
        from_status=from_status,
        from_tier=from_tier,
        note=reason,
        data={
            "notified": notified,
            "referred_to": referred_to.strip(),
            "automatic": overdue_for is not None,
        },
    )
    return case


@transaction.atomic
def return_case(
    *,
    actor: User | None,
    case: Case,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """退单: the assignee hands the matter back, with a reason that stays on the record."""
    reason = steps.required(reason, _("Give the reason for returning the case."))
    now = at or timezone.now()
    case = steps.begin(actor, case, "cases.return_case", expected_version)
    from_status, from_tier = case.status, case.current_tier
    new_status = next_status(Action.RETURN, case.status)
    if case.assignee_person_id is None and case.assignee_team_id is None:
        raise ValidationError(_("This case is not assigned to anyone."), code="not_assigned")
    returned = {"person": case.assignee_person_id, "team": case.assignee_team_id}
    case.status = new_status
    case.assignee_person = None
    case.assignee_team = None
    steps.save(case, ["status", "assignee_person", "assignee_team"])
    notified = steps.notify(
        responsible_users(case.place, min(case.current_tier, Tier.SUBDISTRICT)),
        case,
        kind="case.returned",
        actor=actor,
        title=lambda: _("Returned: %(title)s") % {"title": case.title},
        body=lambda: reason,
    )
    steps.event(
        case,
        kind=EventKind.RETURNED,
        actor=actor,
        at=now,
        from_status=from_status,
        from_tier=from_tier,
        note=reason,
        data={**returned, "notified": notified},
    )
    return case


@transaction.atomic
def resolve_case(
    *,
    actor: User | None,
    case: Case,
    method: str,
    summary: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """办结: settled, by which method, at the tier the case is at; the follow-up clock starts."""
    if method not in ResolutionMethod.values:
        raise ValidationError(_("Choose how the matter was resolved."), code="invalid_method")
    summary = steps.required(summary, _("Say how the matter was resolved."))
    now = at or timezone.now()
    case = steps.begin(actor, case, "cases.resolve_case", expected_version)
    from_status, from_tier = case.status, case.current_tier
    case.status = next_status(Action.RESOLVE, case.status)
    case.settled_tier = case.current_tier
    case.resolution_method = method
    case.resolution_summary = summary
    case.resolved_at = now
    case.accepted_at = case.accepted_at or now
    span = spans_for(category=case.category, risk=case.risk)[DeadlineStage.FOLLOW_UP]
    case.follow_up_due = span.after(now, steps.calendar())
    case.overdue = OverdueFlag.NONE
    steps.save(
        case,
        [
            "status",
            "settled_tier",
            "resolution_method",
            "resolution_summary",
            "resolved_at",
            "accepted_at",
            "follow_up_due",
            "overdue",
        ],
    )
    notified = steps.notify(
        steps.reporter_users(case),
        case,
        kind="case.resolved",
        actor=actor,
        title=lambda: _("Resolved: %(title)s. Are you satisfied?") % {"title": case.title},
        body=lambda: summary,
    )
    steps.event(
        case,
        kind=EventKind.RESOLVED,
        actor=actor,
        at=now,
        from_status=from_status,
        from_tier=from_tier,
        note=summary,
        data={"method": method, "notified": notified},
    )
    return case


@transaction.atomic
def follow_up_case(
    *,
    actor: User | None,
    case: Case,
    satisfied: bool,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """回访: the reporter is asked. Unsatisfied reopens the case (重办) with a new deadline."""
    now = at or timezone.now()
    case = steps.begin(actor, case, "cases.follow_up_case", expected_version)
    from_status, from_tier = case.status, case.current_tier
    action = Action.FOLLOW_UP_SATISFIED if satisfied else Action.FOLLOW_UP_UNSATISFIED
    case.status = next_status(action, case.status)
    case.satisfied = satisfied
    case.followed_up_at = now
    fields = ["status", "satisfied", "followed_up_at"]
    data: dict[str, Any] = {"satisfied": satisfied}
    if satisfied:
        steps.save(case, fields)
        steps.event(
            case,
            kind=EventKind.FOLLOWED_UP,
            actor=actor,
            at=now,
            from_status=from_status,
            from_tier=from_tier,
            note=note.strip(),
            data=data,
        )
        return case
    data.update(
        previous_method=case.resolution_method,
        previous_summary=case.resolution_summary,
        previous_settled_tier=case.settled_tier,
    )
    calendar = steps.calendar()
    span = spans_for(category=case.category, risk=case.risk)[DeadlineStage.RESOLVE]
    case.reopened_count += 1
    case.settled_tier = None
    case.resolved_at = None
    case.resolution_method = ""
    case.resolution_summary = ""
    case.follow_up_due = None
    case.resolve_due = span.after(now, calendar)
    case.overdue = flag_of(case, now, calendar)
    fields += [
        "reopened_count",
        "settled_tier",
        "resolved_at",
        "resolution_method",
        "resolution_summary",
        "follow_up_due",
        "resolve_due",
        "overdue",
    ]
    steps.save(case, fields)
    users = steps.assignee_users(case) or responsible_users(
        case.place, min(case.current_tier, Tier.SUBDISTRICT)
    )
    data["notified"] = steps.notify(
        users,
        case,
        kind="case.reopened",
        actor=actor,
        title=lambda: (
            _("Reopened, the reporter is not satisfied: %(title)s") % {"title": case.title}
        ),
        body=lambda: note.strip(),
    )
    steps.event(
        case,
        kind=EventKind.REOPENED,
        actor=actor,
        at=now,
        from_status=from_status,
        from_tier=from_tier,
        note=note.strip(),
        data=data,
    )
    return case


@transaction.atomic
def close_case(
    *,
    actor: User | None,
    case: Case,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """结案: nothing more to do."""
    now = at or timezone.now()
    case = steps.begin(actor, case, "cases.close_case", expected_version)
    from_status, from_tier = case.status, case.current_tier
    case.status = next_status(Action.CLOSE, case.status)
    case.closed_at = now
    case.overdue = OverdueFlag.NONE
    steps.save(case, ["status", "closed_at", "overdue"])
    steps.event(
        case,
        kind=EventKind.CLOSED,
        actor=actor,
        at=now,
        from_status=from_status,
        from_tier=from_tier,
        note=note.strip(),
    )
    return case


@transaction.atomic
def merge_case(
    *,
    actor: User | None,
    case: Case,
    into: Case,
    reason: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """A duplicate joins the open case it repeats; its reporter follows that one instead."""
    if case.pk == into.pk:
        raise ValidationError(_("A case cannot be merged into itself."), code="same_case")
    now = at or timezone.now()
    # Both rows locked, always in the same order, so two crossed merges cannot deadlock.
    locked = {
        c.pk: c
        for c in Case.objects.select_for_update(of=("self",))
        .select_related("place")
        .filter(pk__in=[case.pk, into.pk])
        .order_by("pk")
    }
    case, into = locked[case.pk], locked[into.pk]
    steps.authorize(actor, "cases.merge_case", case)
    steps.authorize(actor, "cases.view_case", into)
    check_version(case, expected_version)
    from_status, from_tier = case.status, case.current_tier
    new_status = next_status(Action.MERGE, case.status)
    if into.status not in OPEN_STATUSES:
        raise ValidationError(
            _("Case %(number)s is %(status)s; merge only into an open case.")
            % {"number": into.number, "status": Status(into.status).label},
            code="target_not_open",
        )
    case.status = new_status
    case.merged_into = into
    case.overdue = OverdueFlag.NONE
    steps.save(case, ["status", "merged_into", "overdue"])
    steps.event(
        case,
        kind=EventKind.MERGED,
        actor=actor,
        at=now,
        from_status=from_status,
        from_tier=from_tier,
        note=reason.strip(),
        data={"into": into.pk, "into_number": into.number},
    )
    return case


@transaction.atomic
def reject_case(
    *,
    actor: User | None,
    case: Case,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """不予受理: not a matter for the community to handle; the reporter is told why."""
    reason = steps.required(reason, _("Give the reason for rejecting the case."))
    now = at or timezone.now()
    case = steps.begin(actor, case, "cases.reject_case", expected_version)
    from_status, from_tier = case.status, case.current_tier
    case.status = next_status(Action.REJECT, case.status)
    case.overdue = OverdueFlag.NONE
    case.closed_at = now
    steps.save(case, ["status", "overdue", "closed_at"])
    notified = steps.notify(
        steps.reporter_users(case),
        case,
        kind="case.rejected",
        actor=actor,
        title=lambda: _("Not accepted: %(title)s") % {"title": case.title},
        body=lambda: reason,
    )
    steps.event(
        case,
        kind=EventKind.REJECTED,
        actor=actor,
        at=now,
        from_status=from_status,
        from_tier=from_tier,
        note=reason,
        data={"notified": notified},
    )
    return case


# --- Deadline watch (the overdue sweep) ---------------------------------------------------------


@transaction.atomic
def watch_deadline(
    *,
    case: Case,
    now: dt.datetime,
    calendar: WorkCalendar,
    grace: Span,
) -> Decision:
    """The system's look at one case's deadline: flag it yellow/red, remind once the day after,
    escalate after the grace period. Flags and reminders do not bump the version: they are
    markers, and a leader about to resolve the case should not get a conflict because of them.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("place").get(pk=case.pk)
    facts = DueFacts.of(case, calendar)
    decision = decide(facts, now=now, calendar=calendar, grace=grace)
    if decision.changes(facts):
        fields = ["overdue"]
        case.overdue = decision.flag
        notified: list[int] = []
        if decision.remind:
            case.reminded_for = decision.due
            fields.append("reminded_for")
            users = steps.assignee_users(case) or responsible_users(
                case.place, min(case.current_tier, Tier.SUBDISTRICT)
            )
            notified = steps.notify(
                users,
                case,
                kind="case.overdue",
                actor=None,
                title=lambda: _("Overdue: %(title)s") % {"title": case.title},
                body=lambda: (
                    _("The deadline was %(due)s.")
                    % {"due": timezone.localtime(decision.due).strftime("%Y-%m-%d %H:%M")}
                ),
            )
        case.save(update_fields=[*fields, "updated_at"])
        steps.event(
            case,
            kind=EventKind.OVERDUE,
            actor=None,
            at=now,
            from_status=case.status,
            from_tier=case.current_tier,
            data={
                "flag": decision.flag,
                "previous_flag": facts.overdue,
                "reminded": decision.remind,
                "due": decision.due.isoformat() if decision.due else None,
                "notified": notified,
            },
        )
    if decision.escalate:
        escalate_case(
            actor=None,
            case=case,
            reason=_("The deadline passed and the grace period is over."),
            overdue_for=decision.due,
            at=now,
        )
    return decision


# --- Places and personal information ------------------------------------------------------------


def repath_cases(*, old_prefix: str, new_prefix: str) -> int:
    """Keep Case.place_path in step when a subtree of places moves; called through the
    places.signals.subtree_moved signal inside move_place()'s transaction."""
    return Case.objects.filter(subtree_q(old_prefix, "place_path")).update(
        place_path=Concat(
            Value(new_prefix),
            Substr("place_path", len(old_prefix) + 1, Length("place_path")),
        )
    )


@transaction.atomic
def reveal_contact_phone(
    *, user: User, case: Case, reason: str, ip_address: str | None = None
) -> str:
    """The anonymous contact's phone unmasked, for staff who may unmask there; logged."""
    from shuren.access.context import scope_of
    from shuren.access.models import AccessLog

    reason = steps.required(reason, _("Give the reason for revealing the phone number."))
    if not scope_of(user).may_unmask_path(case.place_path):
        raise PermissionDenied
    AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        action=AccessLog.Action.UNMASK,
        object_type="case",
        object_id=str(case.pk),
        fields="contact_phone",
        reason=reason[:200],
        ip_address=ip_address,
    )
    return case.contact_phone
