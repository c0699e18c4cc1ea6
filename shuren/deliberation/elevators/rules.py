"""Who may do what with an elevator project (django-rules), and the actions a page offers.

- manages: an active post of community staff, community secretary or subdistrict staff over
  the project's place: registers the project, records the survey, calls the vote, names the
  affected owners and their consents, agrees the costs, moves the stages, settles objections,
  stops a project that will not go on.
- owner: a person owning a flat in the stairwell served (or an elector of its vote): reads the
  project, its stages and the cost table, and raises an objection while the notice runs.
Everyone else gets 404 for the project, as for a missing id.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.utils import timezone

from shuren.access.context import standing_of
from shuren.deliberation.elevators import law
from shuren.deliberation.elevators.choices import Stage
from shuren.deliberation.elevators.models import manager_roots, owned_paths
from shuren.deliberation.votes.models import VoteOwner
from shuren.workdays.calendar import SHANGHAI

PROJECT_PLACE_KINDS = ("unit", "building")


@rules.predicate
def manages_at(user: Any, place: Any) -> bool:
    return place is not None and any(place.path.startswith(r) for r in manager_roots(user))


@rules.predicate
def manages(user: Any, project: Any) -> bool:
    return project is not None and manages_at(user, project.place)


@rules.predicate
def owner(user: Any, project: Any) -> bool:
    """An owner of a flat under the project's place, or an elector of its vote."""
    if project is None or not getattr(user, "is_authenticated", False):
        return False
    person_id = standing_of(user).person_id
    if not person_id:
        return False
    if any(p.startswith(project.place.path) for p in owned_paths(person_id)):
        return True
    return bool(
        project.vote_id
        and VoteOwner.objects.filter(vote_id=project.vote_id, person_id=person_id).exists()
    )


# django-rules has no annotations; its add_perm, typed, for the strict checker.
add_perm: Callable[[str, Any], None] = rules.add_perm
add_perm("deliberation.create_elevator_project", manages_at)
add_perm("deliberation.view_elevator_project", manages | owner)
add_perm("deliberation.file_objection", manages | owner)
MANAGER_ACTIONS = (
    "record_survey",
    "call_project_vote",
    "name_affected_owner",
    "record_consent",
    "agree_costs",
    "advance_project",
    "settle_objection",
    "stop_project",
)
for _action in MANAGER_ACTIONS:
    add_perm(f"deliberation.{_action}", manages)


def available_actions(user: Any, project: Any) -> list[str]:
    """The actions the project's stage allows and the user may take, in the order a page offers
    them (what a step still needs is the action's to explain, in words)."""
    if project is None:
        return []
    stage = project.stage
    found: list[str] = []
    today = timezone.localdate(timezone=SHANGHAI)
    window = law.objection_window_open(
        stage, project.notice_starts_on, project.notice_ends_on, today
    )
    if window and (manages(user, project) or owner(user, project)):
        found.append("file_objection")
    if not manages(user, project):
        return found
    if stage in (Stage.IN_SERVICE, Stage.STOPPED):
        return found
    found.append("advance_project")
    if stage in (Stage.SURVEY, Stage.VOTE):
        found.append("record_survey" if stage == Stage.SURVEY else "call_project_vote")
        found += ["name_affected_owner", "record_consent"]
    if stage in (Stage.SURVEY, Stage.VOTE, Stage.NOTICE, Stage.DESIGN):
        found.append("agree_costs")
    if stage == Stage.NOTICE:
        found.append("settle_objection")
    # Last: stopping is the exception, offered below the steps that carry the project on.
    found.append("stop_project")
    return found
