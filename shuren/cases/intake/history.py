"""Historical records: the bulk import path for matters settled before they reached Shuren.

`load_settled_history(rows=...)` writes cases that are already settled (resolved, followed up
or closed) together with their whole timeline, in one transaction and with `bulk_create`:
a paper register, an older system's export, the demo's years since 2011. It is not a way
around the workflow. Each row's steps are replayed through the same state machine as the
live actions (workflow.TRANSITIONS), with the same effects on the case (tiers, settled tier,
deadlines, reopening), so a history that the actions could not have produced is refused with
a ValidationError; and a row must end settled. Open matters are entered through
cases/actions.py, which stay the only writers of live state.

What the import writes, per row: one Case with its search index and the next number of its
year (the CaseCounter moves on by the size of the batch, so later reports continue the
sequence), its parties, a REPORTED event (whose data carries the row's `source`, e.g. the
register it came from) and one event per step, with the same from/to status and tier as the
actions write. It sends no notifications: the people concerned were told at the time.

Deadlines are computed from the deadline policies as the actions compute them, so the on-time
rate can be counted. For years before the holiday calendar's data (workdays/), working days
are Monday to Friday without public holidays; the calendar warns about that for live
deadlines, but for history there is nothing to fix, so no warning is logged here.

This is the one writer of case rows that does not run through the action kernel
(kernel.action): thousands of rows per second, and no outbox rows, since nobody is told today
of what was settled years ago. tests/test_history.py checks that it writes the rows the
actions would have written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.cases.choices import DeadlineStage, EventKind
from shuren.cases.deadlines import Span
from shuren.cases.estate import ESTATE_KINDS, company_excluded
from shuren.cases.intake.report import case_prefix
from shuren.cases.models import (
    SETTLED_STATUSES,
    Case,
    CaseCounter,
    CaseEvent,
    CaseParty,
    Category,
    Channel,
    OverdueFlag,
    PartySide,
    ResolutionMethod,
    RiskLevel,
    Status,
    Tier,
)
from shuren.cases.reference import spans_for
from shuren.cases.search import search_text_for
from shuren.cases.workflow.transitions import Action, next_status
from shuren.kernel.action import keep_inserted
from shuren.people.models import Person, Team
from shuren.places.models import Place
from shuren.places.paths import ancestor_paths
from shuren.workdays.current import current_calendar

if TYPE_CHECKING:
    from shuren.workdays.calendar import WorkCalendar

__all__ = ["HistoricalCase", "HistoricalStep", "load_settled_history"]

# The steps a settled history may contain, and the workflow action each one is.
STEP_ACTIONS: dict[str, str] = {
    EventKind.ACCEPTED: Action.ACCEPT,
    EventKind.ASSIGNED: Action.ASSIGN,
    EventKind.NOTED: Action.ADD_NOTE,
    EventKind.ESCALATED: Action.ESCALATE,
    EventKind.RETURNED: Action.RETURN,
    EventKind.RESOLVED: Action.RESOLVE,
    EventKind.FOLLOWED_UP: Action.FOLLOW_UP_SATISFIED,
    EventKind.REOPENED: Action.FOLLOW_UP_UNSATISFIED,
    EventKind.CLOSED: Action.CLOSE,
}
# The choices, as sets: checking thousands of rows against Channel.values rebuilds its list.
CHANNELS, RISKS, TIERS = (
    frozenset(Channel.values),
    frozenset(RiskLevel.values),
    frozenset(Tier.values),
)
SIDES, METHODS = frozenset(PartySide.values), frozenset(ResolutionMethod.values)
# Case rows carry about 40 columns; this keeps PostgreSQL statements small and lets Django
# cut SQLite batches to its parameter limit by itself.
BATCH = 500


@dataclass(frozen=True)
class HistoricalStep:
    """One thing that happened to the case after its report, as an action would record it.

    kind: one of the EventKinds in STEP_ACTIONS (accepted, assigned, noted, escalated,
    returned, resolved, followed_up, reopened, closed). `note` is the note, the escalation or return
    reason, or the resolution summary; `to_tier` is where an escalation went; `method` how it
    was resolved; `person_id`/`team_id` whom it was assigned to.
    """

    kind: str
    at: dt.datetime
    actor_id: int | None = None
    note: str = ""
    to_tier: int | None = None
    referred_to: str = ""
    method: str = ""
    person_id: int | None = None
    team_id: int | None = None


@dataclass(frozen=True)
class HistoricalCase:
    """A matter as it was reported, and the steps that settled it."""

    place: Place
    category: Category
    title: str
    reported_at: dt.datetime
    steps: Sequence[HistoricalStep]
    description: str = ""
    channel: str = Channel.VISIT
    tier: int = Tier.BUILDING  # the tier it was entered at
    risk: str = RiskLevel.LOW
    reporter_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    recorded_by_id: int | None = None
    parties: Sequence[tuple[int, str]] = ()  # (person id, PartySide)
    source: str = ""  # where the record comes from; kept on the REPORTED event


@dataclass
class _Replayed:
    case: Case
    events: list[CaseEvent] = field(default_factory=list)


class _Deadlines:
    """Spans per category and risk, read once per import, and the calendar to count them on;
    and the names of the people and teams cases were assigned to (the timeline shows them)."""

    def __init__(self, calendar: WorkCalendar, rows: Sequence[HistoricalCase]) -> None:
        self.calendar = calendar
        self._spans: dict[tuple[int, str], dict[str, Span]] = {}
        steps = [s for r in rows for s in r.steps if s.kind == EventKind.ASSIGNED]
        person_ids = {s.person_id for s in steps if s.person_id}
        team_ids = {s.team_id for s in steps if s.team_id}
        self.person_names = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "name"))
        self.team_names = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
        # The property companies of the estates by path (cases/estate.py): a few hundred.
        self.companies = dict(
            Place.objects.filter(kind__in=ESTATE_KINDS, property_company__isnull=False).values_list(
                "path", "property_company_id"
            )
        )

    def estate_company(self, row: HistoricalCase) -> int | None:
        """The company that holds a matter of the row at the estate tier, as the actions
        decide it (entered_estate_tier): the estate's, where the category gives it the matter."""
        if company_excluded(row.category):
            return None
        return next(
            (self.companies[p] for p in ancestor_paths(row.place.path) if p in self.companies),
            None,
        )

    def after(self, row: HistoricalCase, stage: str, start: dt.datetime) -> dt.datetime:
        key = (row.category.pk, row.risk)
        if key not in self._spans:
            self._spans[key] = spans_for(category=row.category, risk=row.risk)
        return self._spans[key][stage].after(start, self.calendar)


# Imported records repeat themselves (the same kinds of matter in the same words): segment
# each distinct text once.
_search_text = functools.lru_cache(maxsize=8192)(search_text_for)


def _calendar_for(rows: Sequence[HistoricalCase]) -> WorkCalendar:
    calendar = current_calendar()
    assert calendar.years is not None
    years = {timezone.localtime(r.reported_at).year for r in rows}
    past = {y for y in years if not calendar.years or y < min(calendar.years)}
    # Years before the holiday data: weekends only, knowingly (see the module docstring).
    return dataclasses.replace(calendar, years=calendar.years | past) if past else calendar


def _invalid(row: HistoricalCase, message: str, code: str) -> ValidationError:
    return ValidationError(f"{row.title[:40]} ({row.reported_at:%Y-%m-%d}): {message}", code=code)


def _check_row(row: HistoricalCase, now: dt.datetime) -> None:
    if not row.title.strip():
        raise _invalid(row, _("Say in a few words what the matter is."), "required")
    if row.channel not in CHANNELS:
        raise _invalid(row, _("There is no such channel."), "invalid_channel")
    if row.risk not in RISKS:
        raise _invalid(row, _("There is no such risk level."), "invalid_risk")
    if row.tier not in TIERS:
        raise _invalid(row, _("There is no such tier."), "invalid_tier")
    for _person, side in row.parties:
        if side not in SIDES:
            raise _invalid(row, _("There is no such party side."), "invalid_side")
    if timezone.is_naive(row.reported_at):
        raise _invalid(row, "reported_at must be an aware datetime", "naive_time")
    previous = row.reported_at
    for step in row.steps:
        if timezone.is_naive(step.at) or step.at < previous:
            raise _invalid(row, "steps must be aware and in time order", "time_order")
        previous = step.at
    if previous > now:
        raise _invalid(row, "a historical case cannot end in the future", "future")


def _replay(row: HistoricalCase, deadlines: _Deadlines) -> _Replayed:
    """The case and its events as the actions would have left them after these steps."""
    at = row.reported_at
    title, description = row.title.strip()[:200], row.description.strip()
    case = Case(
        title=title,
        description=description,
        search_text=_search_text(title, description),
        category_id=row.category.pk,
        channel=row.channel,
        place_id=row.place.pk,
        place_path=row.place.path,
        reporter_id=row.reporter_id,
        contact_name=row.contact_name.strip()[:50],
        contact_phone=row.contact_phone.strip()[:20],
        recorded_by_id=row.recorded_by_id,
        risk=row.risk,
        status=Status.REPORTED,
        current_tier=row.tier,
        max_tier=row.tier,
        reported_at=at,
        overdue=OverdueFlag.NONE,
        version=1,
    )
    if row.tier == Tier.ESTATE:
        case.estate_company_id = deadlines.estate_company(row)
    case.accept_due = deadlines.after(row, DeadlineStage.ACCEPT, at)
    case.resolve_due = deadlines.after(row, DeadlineStage.RESOLVE, at)
    data: dict[str, Any] = {"channel": row.channel, "notified": [], "photos": 0}
    if row.source:
        data["source"] = row.source
    replayed = _Replayed(case)
    replayed.events.append(
        CaseEvent(
            kind=EventKind.REPORTED,
            actor_id=row.recorded_by_id,
            at=at,
            from_status="",
            to_status=Status.REPORTED,
            from_tier=row.tier,
            to_tier=row.tier,
            data=data,
        )
    )
    for step in row.steps:
        replayed.events.append(_apply(row, case, step, deadlines))
    if case.status not in SETTLED_STATUSES:
        raise _invalid(
            row, _("A historical case must end resolved, followed up or closed."), "not_settled"
        )
    return replayed


def _apply(row: HistoricalCase, case: Case, step: HistoricalStep, deadlines: _Deadlines) -> Any:
    """One step's effect on the case (mirroring cases/actions.py) and its event."""
    if step.kind not in STEP_ACTIONS:
        raise _invalid(row, f"a history has no {step.kind!r} step", "invalid_step")
    from_status, from_tier = case.status, case.current_tier
    case.status = next_status(STEP_ACTIONS[step.kind], case.status)
    note = step.note.strip()
    data: dict[str, Any] = {}
    at = step.at
    if step.kind == EventKind.ACCEPTED:
        case.accepted_at = at
    elif step.kind == EventKind.ASSIGNED:
        if step.person_id is None and step.team_id is None:
            raise _invalid(row, _("Choose a person or a team to assign to."), "required")
        case.assignee_person_id, case.assignee_team_id = step.person_id, step.team_id
        case.accepted_at = case.accepted_at or at
        data = {
            "person": step.person_id,
            "person_name": deadlines.person_names.get(step.person_id or 0, ""),
            "team": step.team_id,
            "team_name": deadlines.team_names.get(step.team_id or 0, ""),
            "notified": [],
        }
    elif step.kind == EventKind.NOTED:
        if not note:
            raise _invalid(row, _("Write the note."), "required")
    elif step.kind == EventKind.ESCALATED:
        if not note:
            raise _invalid(row, _("Give the reason for escalating."), "required")
        if step.to_tier is None or not from_tier < step.to_tier <= Tier.BEYOND:
            raise _invalid(row, "an escalation goes to a higher tier", "not_higher")
        case.current_tier = step.to_tier
        case.max_tier = max(case.max_tier, step.to_tier)
        case.assignee_person_id = case.assignee_team_id = None
        if step.to_tier == Tier.ESTATE:
            case.estate_company_id = deadlines.estate_company(row)
        data = {"notified": [], "referred_to": step.referred_to.strip(), "automatic": False}
    elif step.kind == EventKind.RETURNED:
        if not note:
            raise _invalid(row, _("Give the reason for returning the case."), "required")
        if case.assignee_person_id is None and case.assignee_team_id is None:
            raise _invalid(row, _("This case is not assigned to anyone."), "not_assigned")
        data = {"person": case.assignee_person_id, "team": case.assignee_team_id, "notified": []}
        case.assignee_person_id = case.assignee_team_id = None
    elif step.kind == EventKind.RESOLVED:
        if step.method not in METHODS:
            raise _invalid(row, _("Choose how the matter was resolved."), "invalid_method")
        if not note:
            raise _invalid(row, _("Say how the matter was resolved."), "required")
        case.settled_tier = case.current_tier
        case.resolution_method, case.resolution_summary = step.method, note
        case.resolved_at = at
        case.accepted_at = case.accepted_at or at
        case.follow_up_due = deadlines.after(row, DeadlineStage.FOLLOW_UP, at)
        data = {"method": step.method, "notified": []}
    elif step.kind == EventKind.FOLLOWED_UP:
        case.satisfied, case.followed_up_at = True, at
        data = {"satisfied": True}
    elif step.kind == EventKind.REOPENED:
        data = {
            "satisfied": False,
            "previous_method": case.resolution_method,
            "previous_summary": case.resolution_summary,
            "previous_settled_tier": case.settled_tier,
            "notified": [],
        }
        case.satisfied, case.followed_up_at = False, at
        case.reopened_count += 1
        case.settled_tier = case.resolved_at = case.follow_up_due = None
        case.resolution_method = case.resolution_summary = ""
        case.resolve_due = deadlines.after(row, DeadlineStage.RESOLVE, at)
    elif step.kind == EventKind.CLOSED:
        case.closed_at = at
    case.version += 1
    given = step.kind == EventKind.ASSIGNED  # whom it was given to held it, as assign_case says
    return CaseEvent(
        kind=step.kind,
        actor_id=step.actor_id,
        at=at,
        from_status=from_status,
        to_status=case.status,
        from_tier=from_tier,
        to_tier=case.current_tier,
        to_person_id=step.person_id if given else None,
        to_team_id=step.team_id if given else None,
        note=note,
        data=data,
    )


def _allocate_block(year: int, size: int) -> int:
    """Reserve `size` consecutive numbers of the year; returns the first. Same lock as intake."""
    prefix = case_prefix()
    counter = CaseCounter.objects.filter(prefix=prefix, year=year)
    if not counter.update(last=F("last") + size):
        try:
            with transaction.atomic():
                CaseCounter.objects.create(prefix=prefix, year=year, last=size)
            return 1
        except IntegrityError:
            counter.update(last=F("last") + size)
    return counter.values_list("last", flat=True).get() - size + 1


@transaction.atomic
def load_settled_history(*, rows: Iterable[HistoricalCase]) -> int:
    """Write settled historical cases with their timelines; returns how many were written.

    All or nothing: an invalid row (see HistoricalCase, HistoricalStep and the module
    docstring) raises ValidationError (or CaseTransitionError for an impossible step) and
    nothing is written. Numbers follow the time of report within each year.
    """
    rows = sorted(rows, key=lambda r: r.reported_at)
    if not rows:
        return 0
    now = timezone.now()
    deadlines = _Deadlines(_calendar_for(rows), rows)
    replayed = []
    for row in rows:
        _check_row(row, now)
        replayed.append(_replay(row, deadlines))

    by_year: dict[int, list[Case]] = {}
    for item in replayed:
        by_year.setdefault(timezone.localtime(item.case.reported_at).year, []).append(item.case)
    prefix = case_prefix()
    for year, cases in sorted(by_year.items()):
        first = _allocate_block(year, len(cases))
        for offset, case in enumerate(cases):
            case.number = f"{prefix}-{year}-{first + offset:06d}"

    Case.objects.bulk_create([item.case for item in replayed], batch_size=BATCH)
    # Past the actions, so the keepers of cases (the insights' tallies) are handed them here.
    keep_inserted([item.case for item in replayed])
    events, parties = [], []
    for item, row in zip(replayed, rows, strict=True):
        for event in item.events:
            event.case_id = item.case.pk
            events.append(event)
        parties += [
            CaseParty(case_id=item.case.pk, person_id=person_id, side=side)
            for person_id, side in row.parties
        ]
    CaseEvent.objects.bulk_create(events, batch_size=BATCH * 4)
    CaseParty.objects.bulk_create(parties, batch_size=BATCH * 4)
    return len(replayed)
