"""API endpoints for elevator projects (加装电梯): registering one for a stairwell, the projects in
the caller's sight, one project with its cost table and what the caller may do now, a step on
and stopping.

Thin as the votes API: the project is found through `visible_to` (another's project is a 404
exactly like a missing id) and the one action in deliberation/actions.py checks permission and
the ladder itself. A step the project's stage does not allow now answers 409 with its code (the
message says what is still needed); a bad value 422.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from shuren.api.auth import ApiRequest
from shuren.api.bodies import JsonOrForm
from shuren.api.case_schemas import MAX_ID
from shuren.api.elevator_schemas import (
    AdvanceIn,
    ProjectDetailOut,
    ProjectIn,
    ProjectListIn,
    ProjectPageOut,
    StopIn,
)
from shuren.api.errors import ApiError
from shuren.api.schemas import ERRORS, ErrorOut
from shuren.deliberation import actions
from shuren.deliberation.elevators.choices import CLOSED_STAGES
from shuren.deliberation.elevators.models import ElevatorProject, manager_roots
from shuren.deliberation.elevators.queries import cost_table
from shuren.deliberation.elevators.rules import available_actions
from shuren.places.models import Place
from shuren.places.paths import subtree_q

router = Router(tags=["elevators"])

ProjectBody = Annotated[ProjectIn, JsonOrForm(...)]
AdvanceBody = Annotated[AdvanceIn, JsonOrForm(...)]
StopBody = Annotated[StopIn, JsonOrForm(...)]
STOP_STATE_CODES = frozenset({"in_service", "stopped"})
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, **ERRORS, 409: ErrorOut}


def _visible(request: ApiRequest, project_id: int) -> ElevatorProject:
    if project_id > MAX_ID:
        raise Http404
    found = (
        ElevatorProject.objects.visible_to(request.auth)
        .select_related("place")
        .filter(pk=project_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _out(p: ElevatorProject) -> dict[str, Any]:
    return {
        "id": p.pk,
        "title": p.title,
        "place": p.place,
        "stage": p.stage,
        "stage_label": p.get_stage_display(),
        "stage_changed_at": p.stage_changed_at,
        "version": p.version,
    }


def _detail(request: ApiRequest, p: ElevatorProject) -> dict[str, Any]:
    return {
        **_out(p),
        "matter": p.matter,
        "electorate": p.electorate,
        "notice_days": p.notice_days,
        "notice_starts_on": p.notice_starts_on,
        "notice_ends_on": p.notice_ends_on,
        "survey_asked": p.survey_asked,
        "survey_in_favour": p.survey_in_favour,
        "vote": p.vote_id,
        "total_cost": p.total_cost,
        "costs": [r.__dict__ for r in cost_table(p)],
        "stop_reason": p.stop_reason,
        "actions": available_actions(request.auth, p),
    }


@router.get(
    "/elevators",
    response={200: ProjectPageOut, **ERRORS},
    summary="Elevator projects I run or own a flat in",
)
def list_projects(request: ApiRequest, filters: Query[ProjectListIn]) -> dict[str, Any]:
    """Latest change of stage first. Page on with `offset`."""
    projects = ElevatorProject.objects.visible_to(request.auth).select_related("place")
    count = projects.count()
    page = projects.order_by("-stage_changed_at", "-pk")[
        filters.offset : filters.offset + filters.limit
    ]
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_out(p) for p in page],
    }


@router.get(
    "/elevators/{int:project_id}",
    response={200: ProjectDetailOut, **ERRORS},
    summary="One elevator project: its stage, cost table and what I may do now",
)
def get_project(request: ApiRequest, project_id: int) -> dict[str, Any]:
    return _detail(request, _visible(request, project_id))


def _place(request: ApiRequest, place_id: int) -> Place:
    """A place under the caller's staff posts: any other id reads exactly like a missing one."""
    scope = Q(pk__in=[])
    for root in manager_roots(request.auth):
        scope |= subtree_q(root)
    place = Place.objects.filter(scope, pk=place_id).first() if place_id <= MAX_ID else None
    if place is None:
        raise ValidationError(
            {"place": ValidationError(_("There is no such place among yours."), code="not_found")}
        )
    return place


@router.post(
    "/elevators",
    response={201: ProjectDetailOut, 200: ProjectDetailOut, **WRITE_ERRORS},
    summary="Register an elevator project for a stairwell",
)
def register_project(
    request: ApiRequest,
    body: ProjectBody,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="Send one when retrying: a stairwell holds one project under way, so a "
        "retry that finds the one you registered there returns it (200).",
    ),
) -> Status[dict[str, Any]]:
    """For the community and subdistrict staff over the place. A stairwell that already has a
    project under way (someone else's, or yours without the header) answers 409 `duplicate`."""
    place = _place(request, body.place)
    if idempotency_key:
        # The stairwell's one open project is the natural key: no second can exist.
        mine = (
            ElevatorProject.objects.filter(place=place, created_by=request.auth)
            .exclude(stage__in=CLOSED_STAGES)
            .first()
        )
        if mine is not None:
            return Status(200, _detail(request, _visible(request, mine.pk)))
    try:
        project = actions.create_project(
            actor=request.auth,
            place=place,
            title=body.title,
            matter=body.matter,
            electorate=body.electorate,
            notice_days=body.notice_days,
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "duplicate":
            raise ApiError(409, "duplicate", exc.messages[0]) from exc
        raise
    return Status(201, _detail(request, _visible(request, project.pk)))


@router.post(
    "/elevators/{int:project_id}/advance",
    response={200: ProjectDetailOut, **WRITE_ERRORS},
    summary="Take the project one step up its ladder",
)
def advance_project(request: ApiRequest, project_id: int, body: AdvanceBody) -> dict[str, Any]:
    """For its managers. What the next step still needs (a survey, a passed vote, the notice
    run out, the costs agreed …) answers 409 with that need's code and words."""
    project = _visible(request, project_id)
    try:
        actions.advance_project(
            actor=request.auth, project=project, note=body.note, expected_version=body.version
        )
    except ValidationError as exc:
        code = str(getattr(exc, "code", None) or "stage")
        raise ApiError(409, code, " ".join(exc.messages)) from exc
    return _detail(request, _visible(request, project_id))


@router.post(
    "/elevators/{int:project_id}/stop",
    response={200: ProjectDetailOut, **WRITE_ERRORS},
    summary="Stop the project (the owners gave up or withdrew), saying why",
)
def stop_project(request: ApiRequest, project_id: int, body: StopBody) -> dict[str, Any]:
    """For its managers. In service or already stopped: 409."""
    project = _visible(request, project_id)
    try:
        actions.stop_project(
            actor=request.auth, project=project, reason=body.reason, expected_version=body.version
        )
    except ValidationError as exc:
        code = getattr(exc, "code", None)
        if code in STOP_STATE_CODES:
            raise ApiError(409, str(code), exc.messages[0]) from exc
        raise
    return _detail(request, _visible(request, project_id))
