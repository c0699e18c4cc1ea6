"""Who may do what to a case (django-rules). The actions check these, so web, API and admin agree.

- handles: a post covers the case's place at a tier at or above the case's current tier
  (a 楼长 while the case is at tier 1; community staff for tiers 1-3 in their community);
  a property company's staff while their company holds the case at the estate tier.
- holds_the_tier: handles, except that a matter at tier 1 is its leader's to take on, settle
  and escalate: the tiers above see it, dispatch, screen, note and close it, but only the
  community's staff and grid workers take those steps, and only for a leader who has no login
  (代办, cases/on_behalf.py).
- dispatches: handles, from tier 2 up (the property company assigns its own staff,
  community staff dispatch within their community). 楼长 settle or escalate; they do not dispatch.
- screens: handles, from tier 3 up (community staff decide a report is not a matter: reject).
- is_assignee: the case is assigned to the user's person or to a team they act for.
- is_reporter: the user's person reported the case.
- handled_it: the user handled the case (经手): acted on it, or it was given to their person
  or team; they keep seeing it, and may add notes, after it moves up.
- leads_the_place: a 楼长/巷长/街长 post covers the case's place, at whatever tier it is.
- complained_about: the user works for a property company and the case's category keeps the
  company out (a complaint about the property service, cases/estate.py): they never take,
  dispatch, escalate, settle or close it, whatever else they may do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rules

from shuren.access.context import scope_of
from shuren.cases.choices import Tier
from shuren.cases.estate import company_excluded
from shuren.cases.models import CaseEvent, CaseParty, handled_events_q
from shuren.cases.on_behalf import acts_for_leader, leads
from shuren.cases.reach import reach_of
from shuren.cases.workflow.escalation import may_escalate
from shuren.cases.workflow.rating import awaits_rating, has_someone_to_ask
from shuren.cases.workflow.transitions import Action, allowed


def _handles_at_least(case: Any, user: Any, at_least: int) -> bool:
    if case is None:
        return False
    reach = reach_of(user)
    if reach.handles(case.place_path, case.current_tier, at_least=at_least):
        return True
    return at_least <= Tier.ESTATE and reach.holds_for_company(case)


@rules.predicate
def handles(user: Any, case: Any) -> bool:
    return _handles_at_least(case, user, 1)


@rules.predicate
def holds_the_tier(user: Any, case: Any) -> bool:
    if case is None:
        return False
    if case.current_tier != Tier.BUILDING:
        return _handles_at_least(case, user, 1)
    return leads(user, case) or acts_for_leader(user, case)


@rules.predicate
def dispatches(user: Any, case: Any) -> bool:
    return _handles_at_least(case, user, 2)


@rules.predicate
def screens(user: Any, case: Any) -> bool:
    return _handles_at_least(case, user, 3)


@rules.predicate
def follows_up_for_community(user: Any, case: Any) -> bool:
    """回访 is community work: staff of tier 3 and up in scope, whatever tier settled it."""
    return case is not None and reach_of(user).handles(case.place_path, 3)


@rules.predicate
def is_assignee(user: Any, case: Any) -> bool:
    if case is None:
        return False
    reach = reach_of(user)
    if reach.person_id and case.assignee_person_id == reach.person_id:
        return True
    return case.assignee_team_id is not None and case.assignee_team_id in reach.team_ids


@rules.predicate
def is_reporter(user: Any, case: Any) -> bool:
    person_id = reach_of(user).person_id
    return case is not None and person_id is not None and case.reporter_id == person_id


@rules.predicate
def handled_it(user: Any, case: Any) -> bool:
    if case is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return CaseEvent.objects.filter(case_id=case.pk).filter(handled_events_q(user)).exists()


@rules.predicate
def leads_the_place(user: Any, case: Any) -> bool:
    if case is None:
        return False
    return any(case.place_path.startswith(root) for root in reach_of(user).roots.get(1, ()))


@rules.predicate
def complained_about(user: Any, case: Any) -> bool:
    return (
        case is not None and bool(reach_of(user).company_ids) and company_excluded(case.category_id)
    )


def in_sight(user: Any, case: Any) -> bool:
    """The case's place is under one of the user's posts over a place, or their property company
    holds or held it at the estate tier (what visible_branches lists)."""
    if any(case.place_path.startswith(root) for root in scope_of(user).place_roots):
        return True
    return case.estate_company_id in reach_of(user).company_ids


@rules.predicate
def sees_case(user: Any, case: Any) -> bool:
    if case is None or not getattr(user, "is_authenticated", False):
        return False
    if in_sight(user, case) or case.recorded_by_id == user.pk:
        return True
    if is_reporter(user, case) or is_assignee(user, case):
        return True
    person_id = reach_of(user).person_id
    if person_id and CaseParty.objects.filter(case_id=case.pk, person_id=person_id).exists():
        return True
    return bool(handled_it(user, case))


# django-rules has no annotations; its add_perm, typed, for the strict checker.
add_perm: Callable[[str, Any], None] = rules.add_perm


@rules.predicate
def reports_at(user: Any, place: Any) -> bool:
    """A resident reports on the places they live in; post holders anywhere in their scope."""
    return place is not None and scope_of(user).holds_data_at(place.path)


add_perm("cases.view_case", sees_case)
add_perm("cases.report_case", reports_at)
add_perm("cases.accept_case", holds_the_tier & ~complained_about)
add_perm("cases.assign_case", dispatches & ~complained_about)
add_perm("cases.add_note", handles | is_assignee | is_reporter | handled_it)
add_perm("cases.escalate_case", (holds_the_tier | is_assignee) & ~complained_about)
add_perm("cases.return_case", is_assignee & ~complained_about)
add_perm("cases.resolve_case", (holds_the_tier | is_assignee) & ~complained_about)
# The reporter rates the result themselves (居民评价); a leader of the place or community staff
# record the answer the reporter gave them offline (代居民评价), never for themselves.
add_perm("cases.follow_up_case", is_reporter)
add_perm("cases.rate_on_behalf", (leads_the_place | follows_up_for_community) & ~is_reporter)
add_perm("cases.close_case", (handles | follows_up_for_community) & ~complained_about)
add_perm("cases.merge_case", dispatches & ~complained_about)
add_perm("cases.reject_case", screens & ~complained_about)


# Who may see which of a matter's people (reporter, contact, parties): cases.parties.lens_of.


# --- What a user may do with a matter now -------------------------------------------------------


@dataclass(frozen=True)
class CaseAction:
    name: str
    perm: str
    moves: tuple[str, ...]  # the state machine's actions it stands for


# In the order a page offers them: the usual next step first.
CASE_ACTIONS: tuple[CaseAction, ...] = (
    CaseAction("accept", "cases.accept_case", (Action.ACCEPT,)),
    CaseAction("resolve", "cases.resolve_case", (Action.RESOLVE,)),
    CaseAction(
        "follow_up",
        "cases.follow_up_case",
        (Action.FOLLOW_UP_SATISFIED, Action.FOLLOW_UP_UNSATISFIED),
    ),
    CaseAction(
        "rate_on_behalf",
        "cases.rate_on_behalf",
        (Action.FOLLOW_UP_SATISFIED, Action.FOLLOW_UP_UNSATISFIED),
    ),
    CaseAction("assign", "cases.assign_case", (Action.ASSIGN,)),
    CaseAction("escalate", "cases.escalate_case", (Action.ESCALATE,)),
    CaseAction("close", "cases.close_case", (Action.CLOSE,)),
    CaseAction("note", "cases.add_note", (Action.ADD_NOTE,)),
    CaseAction("return", "cases.return_case", (Action.RETURN,)),
    CaseAction("merge", "cases.merge_case", (Action.MERGE,)),
    CaseAction("reject", "cases.reject_case", (Action.REJECT,)),
)
ACTION_NAMES = tuple(action.name for action in CASE_ACTIONS)
_BY_NAME = {action.name: action for action in CASE_ACTIONS}


def permission(name: str) -> str:
    """The permission an action needs (checked again by the action on the locked row)."""
    return _BY_NAME[name].perm


def may(user: Any, case: Any, name: str) -> bool:
    """The state machine allows the action now, its own preconditions hold, and the rules
    allow this user."""
    action = _BY_NAME[name]
    if not any(allowed(move, case.status) for move in action.moves):
        return False
    if name == "escalate" and (case.current_tier >= Tier.BEYOND or not may_escalate(user, case)):
        return False
    if name == "return" and not (case.assignee_person_id or case.assignee_team_id):
        return False
    if name in ("follow_up", "rate_on_behalf") and not has_someone_to_ask(case):
        return False
    if not user.has_perm(action.perm, case):
        return False
    # 结案 waits for the reporter's rating, or until its window has passed.
    return not (name == "close" and awaits_rating(case))


def available_actions(user: Any, case: Any) -> list[str]:
    """What this user may do with this matter now, in the order a page offers it: the one
    answer the case page, the JSON API and every later face render."""
    return [name for name in ACTION_NAMES if may(user, case, name)]
