"""The elevator project page: the stage ladder, the vote, the cost table shown to the owners,
the affected owners' consents, the objections, the timeline, and the forms of the actions the
reader may take now (rules.available_actions)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.deliberation.elevators import law
from shuren.deliberation.elevators.choices import LADDER, STAGES, Consent, ObjectionStatus, Stage
from shuren.deliberation.elevators.models import AffectedOwner, ElevatorProject, Objection
from shuren.deliberation.elevators.queries import cost_table, households_by_floor
from shuren.deliberation.elevators.rules import available_actions, manages
from shuren.deliberation.web.elevator_forms import ACTIONS
from shuren.people.models import Person
from shuren.places.models import Household, PlaceKind
from shuren.places.paths import subtree_q


def visible_project(user: Any, pk: int) -> ElevatorProject:
    return get_object_or_404(
        ElevatorProject.objects.visible_to(user).select_related("place", "place__parent", "vote"),
        pk=pk,
    )


def _building_households(project: ElevatorProject) -> list[tuple[int, str]]:
    place = project.place
    root = place.parent if place.kind == PlaceKind.UNIT and place.parent else place
    rows = Household.objects.filter(subtree_q(root.path, "place__path")).select_related("place")
    return [(h.pk, f"{h.place.name} {h.room}") for h in rows.order_by("place__path", "room")[:500]]


def make_form(
    key: str, user: Any, project: ElevatorProject, data: Any = None, initial: Any = None
) -> Any:
    """The action's form for the project as it is now (its version, its flats and owners)."""
    kwargs: dict[str, Any] = {
        "action": key,
        "initial": {**(initial or {}), "version": project.version},
    }
    if key == "name_affected_owner":
        kwargs["households"] = _building_households(project)
    elif key == "record_consent":
        signers = []
        rows = AffectedOwner.objects.filter(project=project).select_related("household")
        owners = Prefetch("household__owners", queryset=Person.objects.order_by("pk"))
        for row in rows.prefetch_related(owners):  # one query for every flat's owners
            flat_owners = list(row.household.owners.all())
            for person in flat_owners:
                signers.append(
                    (f"{row.household_id}-{person.pk}", f"{row.household.room} {person.name}")
                )
            if not flat_owners:
                signers.append((f"{row.household_id}-0", row.household.room))
        kwargs["signers"] = signers
    elif key == "agree_costs":
        by_floor, _unknown = households_by_floor(project.place)
        kwargs["floors"] = sorted(by_floor)
        weights = {f"weight_{w.floor}": w.weight for w in project.weights.all()}
        kwargs["initial"].update(weights)
        if project.total_cost is not None:
            kwargs["initial"].setdefault("total", project.total_cost)
    elif key == "file_objection":
        kwargs["staff"] = manages(user, project)
    elif key == "settle_objection":
        kwargs["objections"] = [
            (o.pk, f"{o.name}：{o.text[:30]}")
            for o in Objection.objects.filter(project=project, status=ObjectionStatus.OPEN)
        ]
    return ACTIONS[key].form(data=data, **kwargs)


def objections_for(user: Any, project: ElevatorProject) -> dict[str, Any]:
    """The staff read every objection; an owner reads their own, and only how many others
    there are (who objected is not for the neighbours to learn from the page)."""
    rows = Objection.objects.filter(project=project).select_related("case", "mediation_team")
    if manages(user, project):
        return {"objections": list(rows), "other_objections": 0}
    person_id = getattr(user, "person_id", None)
    own = [o for o in rows if person_id and o.person_id == person_id]
    return {"objections": own, "other_objections": len(rows) - len(own) if rows else 0}


def ladder(project: ElevatorProject) -> list[dict[str, Any]]:
    """The stages in order, those reached marked; a stopped project shows where it stopped."""
    stopped = project.stage == Stage.STOPPED
    at = project.stopped_from if stopped else project.stage
    reached = LADDER.index(Stage(at)) if at in STAGES else 0
    return [
        {
            "n": i + 1,
            "label": stage.label,
            "reached": i <= reached,
            "current": i == reached,
            "stopped": stopped and i == reached,
        }
        for i, stage in enumerate(LADDER)
    ]


def project_context(
    request: HttpRequest,
    project: ElevatorProject,
    *,
    bound: Any = None,
    error: str = "",
    error_code: str = "",
) -> dict[str, Any]:
    user = request.user
    offered = available_actions(user, project)
    if bound is not None and bound.action not in offered:
        offered.append(bound.action)  # the form just posted shows again, with its errors
    forms = [
        (
            ACTIONS[key],
            bound if bound is not None and bound.action == key else make_form(key, user, project),
        )
        for key in offered
    ]
    following = law.next_stage(project.stage)
    rows = cost_table(project)
    return {
        "project": project,
        "ladder": ladder(project),
        "forms": forms,
        "next_stage": Stage(following).label if following else "",
        "manages": manages(user, project),
        "costs": rows,
        "cost_sum": sum((r.share for r in rows), start=0),
        "affected": list(
            AffectedOwner.objects.filter(project=project).select_related("household", "person")
        ),
        "consent_given": Consent.GIVEN,
        **objections_for(user, project),
        "events": list(
            project.events.select_related("actor", "actor__person").order_by("at", "pk")
        ),
        "error": error,
        "error_code": error_code,
    }


@login_required
@require_GET
def elevator(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A project its staff and its stairwell's owners read; anyone else gets 404."""
    project = visible_project(request.user, pk)
    return render(request, "deliberation/elevators/project.html", project_context(request, project))
