"""The reporter's answer and the end of a matter: their own rating (居民评价), the answer a
leader records for them (代居民评价), and 结案 once the answer is in or its window has passed.

Each runs on the kernel like every workflow action (workflow/actions.py: begin, case_event).
An unsatisfied answer reopens the matter (重办) with a new resolve deadline, and its holders
(or its tier) are told.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shuren.cases.choices import DeadlineStage, EventKind, OverdueFlag, RatingChannel
from shuren.cases.models import Case
from shuren.cases.reference import spans_for
from shuren.cases.responsible import holders_or_tier, reporter_users
from shuren.cases.workflow.actions import begin, case_event, tell
from shuren.cases.workflow.overdue import flag_of
from shuren.cases.workflow.rating import awaits_rating, has_someone_to_ask, rating_window_ends
from shuren.cases.workflow.transitions import Action, next_status
from shuren.kernel.action import Act
from shuren.kernel.outbox import NOBODY
from shuren.workdays.calendar import SHANGHAI
from shuren.workdays.current import current_calendar

if TYPE_CHECKING:
    from shuren.accounts.models import User


def _check_someone_to_ask(case: Case) -> None:
    if not has_someone_to_ask(case):
        raise ValidationError(
            _("Nobody outside reported this matter, so there is no rating to record."),
            code="nobody_to_ask",
        )


def _rate(act: Act[Case], satisfied: bool) -> list[str]:
    """Record the answer on the case; unsatisfied, reopen it (重办). The fields changed."""
    case = act.subject
    action = Action.FOLLOW_UP_SATISFIED if satisfied else Action.FOLLOW_UP_UNSATISFIED
    case.status = next_status(action, case.status)
    case.satisfied = satisfied
    case.followed_up_at = act.at
    fields = ["status", "satisfied", "followed_up_at"]
    if satisfied:
        return fields
    calendar = current_calendar()
    span = spans_for(category=case.category, risk=case.risk)[DeadlineStage.RESOLVE]
    case.reopened_count += 1
    case.settled_tier = None
    case.resolved_at = None
    case.resolution_method = ""
    case.resolution_summary = ""
    case.follow_up_due = None
    case.resolve_due = span.after(act.at, calendar)
    case.overdue = flag_of(case, act.at, calendar)
    return [
        *fields,
        "reopened_count",
        "settled_tier",
        "resolved_at",
        "resolution_method",
        "resolution_summary",
        "follow_up_due",
        "resolve_due",
        "overdue",
    ]


def _record_rating(
    act: Act[Case], actor: Any, satisfied: bool, note: str, *, kind: str, data: dict[str, Any]
) -> Case:
    """A rating, the reporter's own or recorded for them: the answer on the case, and the event
    of `kind`; unsatisfied, the matter is reopened and its holders and its reporter are told,
    the event keeping how it had been settled."""
    case = act.subject
    from_status, from_tier = case.status, case.current_tier
    _check_someone_to_ask(case)
    previous = {
        "previous_method": case.resolution_method,
        "previous_summary": case.resolution_summary,
        "previous_settled_tier": case.settled_tier,
    }
    act.save(_rate(act, satisfied))
    data = {"satisfied": satisfied, **data}
    told = NOBODY
    if not satisfied:
        told = tell(
            "case.reopened",
            holders_or_tier(case),
            case,
            actor,
            note.strip(),
            reporters=reporter_users(case),
        )
        data.update(previous, notified=list(told.recipients))
    event = case_event(
        act, kind, from_status=from_status, from_tier=from_tier, note=note.strip(), data=data
    )
    act.record(event, tell=told)
    return case


def follow_up_case(
    *,
    actor: User | None,
    case: Case,
    satisfied: bool,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """居民评价: the reporter says whether they are satisfied. Unsatisfied reopens the case
    (重办) with a new deadline."""
    with begin(case, actor, "cases.follow_up_case", expected_version, at) as act:
        kind = EventKind.FOLLOWED_UP if satisfied else EventKind.REOPENED
        return _record_rating(act, actor, satisfied, note, kind=kind, data={})


def rate_on_behalf(
    *,
    actor: User | None,
    case: Case,
    satisfied: bool,
    via: str,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """代居民评价: a leader or community staff record the answer the reporter gave them offline
    (by phone, in person, on WeChat …): one event that says how it came, and the same effect
    as the reporter's own rating."""
    if via not in RatingChannel.values:
        raise ValidationError(
            {"via": ValidationError(_("Choose how the resident told you."), code="invalid_via")}
        )
    with begin(case, actor, "cases.rate_on_behalf", expected_version, at) as act:
        return _record_rating(
            act, actor, satisfied, note, kind=EventKind.RATED_ON_BEHALF, data={"via": via}
        )


def close_case(
    *,
    actor: User | None,
    case: Case,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """结案: nothing more to do. A resolved matter waits for its reporter's rating until the
    rating window has passed (workflow/rating.py); the system is not held by that."""
    with begin(case, actor, "cases.close_case", expected_version, at) as act:
        case = act.subject
        from_status, from_tier = case.status, case.current_tier
        new_status = next_status(Action.CLOSE, case.status)
        if actor is not None and awaits_rating(case, act.at):
            ends = rating_window_ends(case)
            assert ends is not None  # awaits_rating holds only for a resolved case
            raise ValidationError(
                _(
                    "The reporter may still rate the result until %(when)s. Close the matter "
                    "once their rating is in (or record the answer they gave you), or after "
                    "that time."
                )
                % {"when": ends.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")},
                code="awaiting_rating",
            )
        case.status = new_status
        case.closed_at = act.at
        case.overdue = OverdueFlag.NONE
        act.save(["status", "closed_at", "overdue"])
        act.record(
            case_event(
                act,
                EventKind.CLOSED,
                from_status=from_status,
                from_tier=from_tier,
                note=note.strip(),
            )
        )
        return case
