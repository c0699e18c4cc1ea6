"""Every change to an open matter: the only writers of case state after intake.

Each action runs on the kernel (shuren/kernel/action.py): atomic, on the locked row, with the
permission of cases/rules.py checked on its fresh state (`actor=None` is the system, e.g. the
overdue sweep; a view always passes request.user), the version the client saw checked,
the move checked against workflow/transitions.py, only the changed fields saved, exactly one
CaseEvent written and one outbox row saying who must be told (the worker writes their
notifications). Illegal moves raise CaseTransitionError, missing reasons ValidationError,
stale versions StaleVersion, refused permissions PermissionDenied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from shuren.cases.choices import (
    OPEN_STATUSES,
    DeadlineStage,
    EventKind,
    OverdueFlag,
    ResolutionMethod,
    Status,
    Tier,
)
from shuren.cases.estate import check_company_dispatch, check_estate_tier, entered_estate_tier
from shuren.cases.models import Case, CaseEvent
from shuren.cases.on_behalf import on_behalf_of
from shuren.cases.reference import spans_for
from shuren.cases.responsible import (
    assignee_users,
    next_tier_up,
    reporter_users,
    responsible_users,
    teams_serving,
    tier_users,
)
from shuren.cases.workflow.escalation import check_escalation
from shuren.cases.workflow.overdue import flag_of
from shuren.cases.workflow.photos import attach_photos, check_photo_count
from shuren.cases.workflow.transitions import Action, next_status
from shuren.kernel.action import Act, authorize, change, required
from shuren.kernel.outbox import Tell
from shuren.workdays.current import current_calendar

if TYPE_CHECKING:
    from shuren.accounts.models import User
    from shuren.people.models import Person, Team

DENIED = "You may not do this to this case."


def begin(
    case: Case, actor: User | None, perm: str, expected_version: int | None, at: Any, **kw: Any
) -> Any:
    return change(
        Case.objects.select_related("place", "category"),
        case.pk,
        actor=actor,
        perm=perm,
        expected_version=expected_version,
        at=at,
        denied=_(DENIED),
        **kw,
    )


def case_event(
    act: Act[Case],
    kind: str,
    *,
    from_status: str,
    from_tier: int,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    case = act.subject
    return CaseEvent(
        case=case,
        kind=kind,
        actor=act.actor,
        at=act.at,
        from_status=from_status,
        to_status=case.status,
        from_tier=from_tier,
        to_tier=case.current_tier,
        note=note,
        data=data or {},
    )


def tell(
    kind: str,
    users: Iterable[Any],
    case: Case,
    actor: Any,
    body: str = "",
    *,
    reporters: Iterable[Any] = (),
    **extra: Any,
) -> Tell:
    """Who must be told of this change to the case, and what the message says. `reporters`
    (the reporter's own login) are told in a resident's words (cases/messages.py)."""
    return Tell.users(
        kind,
        users,
        actor=actor,
        audiences={"reporter": reporters},
        number=case.number,
        title=case.title,
        body=body,
        link=case.get_absolute_url(),
        **extra,
    )


# --- Workflow -----------------------------------------------------------------------------------


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
    with begin(case, actor, "cases.accept_case", expected_version, at) as act:
        case = act.subject
        from_status, from_tier = case.status, case.current_tier
        behalf = on_behalf_of(actor, case)
        case.status = next_status(Action.ACCEPT, case.status)
        case.accepted_at = act.at
        case.overdue = flag_of(case, act.at, current_calendar())
        fields = ["status", "accepted_at", "overdue"]
        data: dict[str, Any] = {"on_behalf_of": behalf} if behalf else {}
        if (
            actor is not None
            and actor.person_id
            and not (case.assignee_person_id or case.assignee_team_id)
        ):
            case.assignee_person_id = actor.person_id
            fields.append("assignee_person")
            data["person"] = actor.person_id
        act.save(fields)
        told = tell("case.accepted", (), case, actor, reporters=reporter_users(case))
        event = case_event(
            act,
            EventKind.ACCEPTED,
            from_status=from_status,
            from_tier=from_tier,
            note=note.strip(),
            data=data,
        )
        event.to_person_id = data.get("person")
        act.record(event, tell=told)
        return case


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
    with begin(case, actor, "cases.assign_case", expected_version, at) as act:
        case = act.subject
        if team is not None and not teams_serving(case.place_path).filter(pk=team.pk).exists():
            raise ValidationError(
                _("%(team)s does not serve this place.") % {"team": team.name},
                code="team_out_of_place",
            )
        check_company_dispatch(case.category, person=person, team=team)
        from_status, from_tier = case.status, case.current_tier
        case.status = next_status(Action.ASSIGN, case.status)
        case.assignee_person = person
        case.assignee_team = team
        case.accepted_at = case.accepted_at or act.at
        case.overdue = flag_of(case, act.at, current_calendar())
        act.save(["status", "assignee_person", "assignee_team", "accepted_at", "overdue"])
        told = tell("case.assigned", assignee_users(case), case, actor, note.strip())
        event = case_event(
            act,
            EventKind.ASSIGNED,
            from_status=from_status,
            from_tier=from_tier,
            note=note.strip(),
            data={
                "person": person.pk if person else None,
                "person_name": person.name if person else "",
                "team": team.pk if team else None,
                "team_name": team.name if team else "",
                "notified": list(told.recipients),
            },
        )
        # Whom it was given to held it: they keep it in their 经手的 list after it moves on.
        event.to_person, event.to_team = person, team
        act.record(event, tell=told)
        return case


def add_note(
    *,
    actor: User | None,
    case: Case,
    note: str,
    photos: Sequence[File[Any]] = (),
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """A line on the timeline: a call made, a visit paid, what a neighbour said; with the
    photos of a report that a resident added to this case as the same matter."""
    note = required(note, _("Write the note."))
    check_photo_count(photos)
    with begin(case, actor, "cases.add_note", expected_version, at) as act:
        case = act.subject
        next_status(Action.ADD_NOTE, case.status)
        act.save([])
        attach_photos(case, photos, actor)
        act.record(
            case_event(
                act,
                EventKind.NOTED,
                from_status=case.status,
                from_tier=case.current_tier,
                note=note,
                data={"photos": len(photos)} if photos else None,
            )
        )
        return case


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
    A person sends it only to the tiers their role may send to (workflow/escalation.py).
    """
    reason = required(reason, _("Give the reason for escalating."))
    with begin(case, actor, "cases.escalate_case", expected_version, at) as act:
        case = act.subject
        from_status, from_tier = case.status, case.current_tier
        behalf = on_behalf_of(actor, case)
        new_status = next_status(Action.ESCALATE, case.status)
        if to_tier is None and from_tier >= Tier.BEYOND:
            raise ValidationError(_("This case has already left the subdistrict."), code="top_tier")
        if to_tier is not None and not from_tier < to_tier <= Tier.BEYOND:
            raise ValidationError(
                _("A case can only be escalated to a higher tier (now %(tier)s).")
                % {"tier": Tier(from_tier).label},
                code="not_higher",
            )
        if actor is not None:
            to_tier = check_escalation(actor, case, to_tier, referred_to)
        if to_tier is None:
            to_tier, users = next_tier_up(case.place, from_tier, case.category)
        else:
            users = list(
                responsible_users(
                    case.place, min(to_tier, Tier.SUBDISTRICT), category=case.category
                )
            )
            if to_tier == Tier.ESTATE:
                check_estate_tier(case.category, users)
        case.status = new_status
        case.current_tier = to_tier
        case.max_tier = max(case.max_tier, to_tier)
        case.assignee_person = None
        case.assignee_team = None
        fields = ["status", "current_tier", "max_tier", "assignee_person", "assignee_team"]
        fields += entered_estate_tier(case)
        if overdue_for is not None:
            case.escalated_for = overdue_for
            fields.append("escalated_for")
        act.save(fields)
        reporters = reporter_users(case)
        told = tell("case.escalated", users, case, actor, reason, reporters=reporters, tier=to_tier)
        act.record(
            case_event(
                act,
                EventKind.ESCALATED,
                from_status=from_status,
                from_tier=from_tier,
                note=reason,
                data={
                    "notified": list(told.recipients),
                    "referred_to": referred_to.strip(),
                    "automatic": overdue_for is not None,
                    **({"on_behalf_of": behalf} if behalf else {}),
                },
            ),
            tell=told,
        )
        return case


def return_case(
    *,
    actor: User | None,
    case: Case,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """退单: the assignee hands the matter back, with a reason that stays on the record."""
    reason = required(reason, _("Give the reason for returning the case."))
    with begin(case, actor, "cases.return_case", expected_version, at) as act:
        case = act.subject
        from_status, from_tier = case.status, case.current_tier
        new_status = next_status(Action.RETURN, case.status)
        if case.assignee_person_id is None and case.assignee_team_id is None:
            raise ValidationError(_("This case is not assigned to anyone."), code="not_assigned")
        returned = {"person": case.assignee_person_id, "team": case.assignee_team_id}
        case.status = new_status
        case.assignee_person = None
        case.assignee_team = None
        act.save(["status", "assignee_person", "assignee_team"])
        users = tier_users(case.place, case.current_tier, category=case.category)
        told = tell("case.returned", users, case, actor, reason)
        act.record(
            case_event(
                act,
                EventKind.RETURNED,
                from_status=from_status,
                from_tier=from_tier,
                note=reason,
                data={**returned, "notified": list(told.recipients)},
            ),
            tell=told,
        )
        return case


def resolve_case(
    *,
    actor: User | None,
    case: Case,
    method: str,
    summary: str,
    photos: Sequence[File[Any]] = (),
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """办结: settled, by which method, at the tier the case is at, with photos of the result if
    any; the follow-up clock starts. Settled on the spot by someone nobody had given it to
    (a leader who found it), it is theirs: the page names them as its holder."""
    if method not in ResolutionMethod.values:
        raise ValidationError(_("Choose how the matter was resolved."), code="invalid_method")
    summary = required(summary, _("Say what was done."))
    check_photo_count(photos)
    with begin(case, actor, "cases.resolve_case", expected_version, at) as act:
        case = act.subject
        from_status, from_tier = case.status, case.current_tier
        behalf = on_behalf_of(actor, case)
        held_by: int | None = None
        if (
            actor is not None
            and actor.person_id
            and not (case.assignee_person_id or case.assignee_team_id)
        ):
            case.assignee_person_id = held_by = actor.person_id
        case.status = next_status(Action.RESOLVE, case.status)
        case.settled_tier = case.current_tier
        case.resolution_method = method
        case.resolution_summary = summary
        case.resolved_at = act.at
        case.accepted_at = case.accepted_at or act.at
        span = spans_for(category=case.category, risk=case.risk)[DeadlineStage.FOLLOW_UP]
        case.follow_up_due = span.after(act.at, current_calendar())
        case.overdue = OverdueFlag.NONE
        act.save(
            [
                "status",
                "settled_tier",
                "resolution_method",
                "resolution_summary",
                "resolved_at",
                "accepted_at",
                "follow_up_due",
                "overdue",
                "assignee_person",
            ]
        )
        attach_photos(case, photos, actor)
        # The reporter's message opens the matter at its rating form: one tap to say whether
        # they are satisfied.
        told = tell(
            "case.resolved",
            (),
            case,
            actor,
            summary,
            reporters=reporter_users(case),
            link_reporter=f"{case.get_absolute_url()}#act-follow_up",
        )
        data: dict[str, Any] = {"method": method, "notified": list(told.recipients)}
        if photos:
            data["photos"] = len(photos)
        if behalf:
            data["on_behalf_of"] = behalf
        event = case_event(
            act,
            EventKind.RESOLVED,
            from_status=from_status,
            from_tier=from_tier,
            note=summary,
            data=data,
        )
        event.to_person_id = held_by
        act.record(event, tell=told)
        return case


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
    # Both rows locked, always in the same order, so two crossed merges cannot deadlock.
    with begin(case, actor, "cases.merge_case", expected_version, at, lock_with=[into.pk]) as act:
        case = act.subject
        into = act.locked[into.pk]
        authorize(actor, "cases.view_case", into, _(DENIED))
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
        act.save(["status", "merged_into", "overdue"])
        act.record(
            case_event(
                act,
                EventKind.MERGED,
                from_status=from_status,
                from_tier=from_tier,
                note=reason.strip(),
                data={"into": into.pk, "into_number": into.number},
            )
        )
        return case


def reject_case(
    *,
    actor: User | None,
    case: Case,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """不予受理: not a matter for the community to handle; the reporter is told why."""
    reason = required(reason, _("Give the reason for rejecting the case."))
    with begin(case, actor, "cases.reject_case", expected_version, at) as act:
        case = act.subject
        from_status, from_tier = case.status, case.current_tier
        case.status = next_status(Action.REJECT, case.status)
        case.overdue = OverdueFlag.NONE
        case.closed_at = act.at
        act.save(["status", "overdue", "closed_at"])
        told = tell("case.rejected", (), case, actor, reason, reporters=reporter_users(case))
        act.record(
            case_event(
                act,
                EventKind.REJECTED,
                from_status=from_status,
                from_tier=from_tier,
                note=reason,
                data={"notified": list(told.recipients)},
            ),
            tell=told,
        )
        return case
