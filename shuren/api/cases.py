"""API endpoints for matters: the category tree, reporting, the scoped case list and each action.

Every endpoint is thin: it reads the request, finds the case through `visible_to` (a case out of
scope is a 404 exactly like a missing one) and calls the one action in cases/actions.py, which
checks permission, version and transition itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from shuren import rawsql
from shuren.access.context import scope_of
from shuren.api.auth import ApiRequest
from shuren.api.bodies import JsonOrForm
from shuren.api.case_schemas import (
    MAX_ID,
    AcceptIn,
    AssignIn,
    CaseConflictOut,
    CaseDetailOut,
    CaseFiltersIn,
    CaseIn,
    CaseOut,
    CasePageOut,
    CategoryPageOut,
    CloseIn,
    EscalateIn,
    FollowUpIn,
    MergeIn,
    NoteIn,
    RateOnBehalfIn,
    ReasonIn,
    ResolveIn,
)
from shuren.api.errors import ApiError
from shuren.api.schemas import ERRORS, ErrorOut, PageIn
from shuren.cases import actions
from shuren.cases.inbox.listing import newest_first
from shuren.cases.intake.policy import enters_for_others_at
from shuren.cases.links import links_of
from shuren.cases.models import (
    Case,
    CaseQuerySet,
    Category,
    OverdueFlag,
    RiskLevel,
)
from shuren.cases.parties import lens_of, party_rows
from shuren.cases.reference import active_categories, active_category
from shuren.cases.responsible import teams_serving
from shuren.cases.rules import available_actions
from shuren.cases.search import search_q
from shuren.people.models import Person
from shuren.places.models import Place
from shuren.places.paths import subtree_q

if TYPE_CHECKING:
    pass

router = Router(tags=["cases"])

CaseBody = Annotated[CaseIn, JsonOrForm(...)]
AcceptBody = Annotated[AcceptIn, JsonOrForm(...)]
AssignBody = Annotated[AssignIn, JsonOrForm(...)]
NoteBody = Annotated[NoteIn, JsonOrForm(...)]
EscalateBody = Annotated[EscalateIn, JsonOrForm(...)]
ReasonBody = Annotated[ReasonIn, JsonOrForm(...)]
ResolveBody = Annotated[ResolveIn, JsonOrForm(...)]
FollowUpBody = Annotated[FollowUpIn, JsonOrForm(...)]
RateOnBehalfBody = Annotated[RateOnBehalfIn, JsonOrForm(...)]
CloseBody = Annotated[CloseIn, JsonOrForm(...)]
MergeBody = Annotated[MergeIn, JsonOrForm(...)]


# --- Categories ---------------------------------------------------------------------------------


@router.get(
    "/categories",
    response={200: CategoryPageOut, **ERRORS},
    summary="The category tree, names in the caller's language",
)
def list_categories(request: ApiRequest, page: Query[PageIn]) -> dict[str, Any]:
    """A page of the top-level categories in their order, each with all its children (one
    level: a category has no grandchildren)."""
    categories = active_categories()
    nodes: dict[int, dict[str, Any]] = {
        category.pk: {
            "code": category.code,
            "name": category.label,
            "may_be_public": category.may_be_public,
            "children": [],
        }
        for category in categories
    }
    tree = []
    for category in categories:
        if category.parent_id is None:
            tree.append(nodes[category.pk])
        elif category.parent_id in nodes:  # under an inactive parent: not offered
            nodes[category.parent_id]["children"].append(nodes[category.pk])
    return {
        "count": len(tree),
        "limit": page.limit,
        "offset": page.offset,
        "items": tree[page.offset : page.offset + page.limit],
    }


# --- Reading ------------------------------------------------------------------------------------


def _visible(request: ApiRequest) -> CaseQuerySet:
    return Case.objects.visible_to(request.auth)


def _visible_pk(request: ApiRequest, case_id: int) -> Case:
    if case_id > MAX_ID:
        raise Http404
    case = _visible(request).only("pk").filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def _detail(request: ApiRequest, case_id: int, *, acted_on: bool = False) -> Case:
    """The case as the caller sees it; after an action of theirs (acted_on), as they left it
    even where the step took it out of their sight (a company that hands a matter back)."""
    if case_id > MAX_ID:
        raise Http404
    case = (
        (Case.objects.all() if acted_on else _visible(request))
        .select_related(
            "category", "place", "reporter", "assignee_person", "assignee_team", "merged_into"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    case.api_events = list(case.events.select_related("actor__person").order_by("at", "pk"))  # type: ignore[attr-defined]
    # Who may learn which of the matter's people: the case page's rule (cases.parties).
    rows = party_rows(case)
    lens = lens_of(request.auth, case, rows)
    case.api_lens = lens  # type: ignore[attr-defined]
    case.api_parties = lens.parties(rows)  # type: ignore[attr-defined]
    for event in case.api_events:  # type: ignore[attr-defined]
        event.api_lens = lens
    case.api_elsewhere = links_of(request.auth, case)  # type: ignore[attr-defined]
    # The domain decides (cases.rules.available_actions); the API names each by its route.
    case.api_actions = [  # type: ignore[attr-defined]
        name.replace("_", "-") for name in available_actions(request.auth, case)
    ]
    return case


@router.get("/cases", response={200: CasePageOut, **ERRORS}, summary="Cases in my scope")
def list_cases(request: ApiRequest, filters: Query[CaseFiltersIn]) -> dict[str, Any]:
    """Newest first. A case is listed when it is in a post's subtree, or the caller reported it,
    is a party to it, recorded it, or it is assigned to them or their team. `count` stops at
    1,000 (`count_capped` is then true): page on with `offset`."""
    narrow = Q()
    if filters.status:
        narrow &= Q(status=filters.status.value)
    if filters.category:
        codes = Q(code=filters.category) | Q(parent__code=filters.category)
        narrow &= Q(
            category_id__in=list(Category.objects.filter(codes).values_list("pk", flat=True))
        )
    if filters.tier is not None:
        narrow &= Q(current_tier=filters.tier)
    if filters.overdue is True:
        narrow &= Q(overdue=OverdueFlag.RED)
    elif filters.overdue is False:
        narrow &= ~Q(overdue=OverdueFlag.RED)
    if filters.place is not None:
        path = (
            Place.objects.visible_to(request.auth)
            .filter(pk=filters.place)
            .values_list("path", flat=True)
            .first()
        )
        narrow &= subtree_q(path, "place_path") if path else Q(pk__in=[])
    if filters.q and filters.q.strip():
        narrow &= search_q(filters.q)
    page = newest_first(request.auth, narrow, offset=filters.offset, limit=filters.limit)
    return {
        "count": page.count,
        "count_capped": page.capped,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": page.rows,
    }


@router.get(
    "/cases/{int:case_id}",
    response={200: CaseDetailOut, **ERRORS},
    summary="One case with its timeline",
)
def get_case(request: ApiRequest, case_id: int) -> Case:
    return _detail(request, case_id)


# --- Reporting ----------------------------------------------------------------------------------


def _field_error(field: str, message: str, code: str = "not_found") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


@router.post(
    "/cases",
    response={201: CaseOut, 200: CaseOut, 400: ErrorOut, **ERRORS},
    summary="Report a matter",
)
def report_case(
    request: ApiRequest,
    body: CaseBody,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="Send the same key when retrying: the retry returns the first case (200). "
        "The same key with another report answers 422 `idempotency_key_reused`. Printable "
        "ASCII, at most 100 characters.",
    ),
) -> Status[Case]:
    """A resident reports on the places they live in, online; staff anywhere in their scope,
    with the channel it came in by and the risk level. 201 with the new case; 200 with the case
    an earlier request with the same Idempotency-Key created."""
    user = request.auth
    place = rawsql.by_pk(Place, body.place)
    # A place outside the caller's scope reads exactly like a missing one.
    if place is None or not scope_of(user).contains_place(place):
        raise _field_error("place", _("There is no such place among yours."))
    category = active_category(body.category)
    if category is None:
        raise _field_error("category", _("There is no such category."))
    # Which channel, risk and reporter this caller may give is the intake policy's, enforced
    # by report_case (a refusal answers 403 with its reason).
    enters_for_others = enters_for_others_at(user, place)
    try:
        case = actions.report_case(
            actor=user,
            place=place,
            category=category,
            title=body.title,
            description=body.description,
            channel=body.channel.value,
            # A resident is always the reporter (report_case makes the actor the reporter unless a
            # contact is named); for them the contact fields only add a way to reach them.
            reporter=user.person if body.contact_name and not enters_for_others else None,
            contact_name=body.contact_name,
            contact_phone=body.contact_phone,
            risk=(body.risk or RiskLevel.LOW).value,
            idempotency_key=idempotency_key or "",
        )
    except ValidationError as exc:
        if exc.code == "idempotency_key_reused":
            field = {"field": "Idempotency-Key", "location": "header", "code": exc.code}
            message = exc.messages[0]
            raise ApiError(
                422, "idempotency_key_reused", message, errors=[{**field, "message": message}]
            ) from exc
        raise
    return Status(200 if case.replayed else 201, case)


# --- Actions ------------------------------------------------------------------------------------

# 400: a body that is not JSON (or not the form it says it is).
ACTION_RESPONSES: dict[int, Any] = {
    200: CaseDetailOut,
    400: ErrorOut,
    **ERRORS,
    409: CaseConflictOut,
}
VERSION_NOTE = (
    " Send the case's `version`; a stale one answers 409 `conflict` with `current_version`. "
    "A step the case's state does not allow answers 409 `illegal_transition`; a step the "
    "caller may not take, 403. Form-encoded fields are accepted as well as JSON."
)


def _action_route(name: str, summary: str) -> Any:
    return router.post(
        f"/cases/{{int:case_id}}/{name}",
        response=ACTION_RESPONSES,
        summary=summary,
        description=summary + "." + VERSION_NOTE,
        operation_id=f"case_{name.replace('-', '_')}",
    )


@_action_route("accept", "Accept the case (受理)")
def accept(request: ApiRequest, case_id: int, body: AcceptBody) -> Case:
    case = _visible_pk(request, case_id)
    actions.accept_case(
        actor=request.auth, case=case, note=body.note, expected_version=body.version
    )
    return _detail(request, case_id, acted_on=True)


@_action_route("assign", "Assign to a person and/or a team (派单)")
def assign(request: ApiRequest, case_id: int, body: AssignBody) -> Case:
    case = _visible_pk(request, case_id)
    person = team = None
    if body.person is not None:
        person = Person.objects.visible_to(request.auth).filter(pk=body.person).first()
        if person is None:
            raise _field_error("person", _("There is no such person among yours."))
    if body.team is not None:
        # Only the teams that serve the case's place are offered: any other id, whatever team
        # it names, reads exactly like a missing one (its name is not given away).
        # (case holds only its id: reading place_path loads that one column)
        team = teams_serving(case.place_path).filter(pk=body.team).first()
        if team is None:
            raise _field_error("team", _("There is no such team for this place."))
    actions.assign_case(
        actor=request.auth,
        case=case,
        person=person,
        team=team,
        note=body.note,
        expected_version=body.version,
    )
    return _detail(request, case_id, acted_on=True)


@_action_route("note", "Add a note to the timeline")
def note(request: ApiRequest, case_id: int, body: NoteBody) -> Case:
    case = _visible_pk(request, case_id)
    actions.add_note(actor=request.auth, case=case, note=body.note, expected_version=body.version)
    return _detail(request, case_id, acted_on=True)


@_action_route("escalate", "Escalate to a higher tier with a reason (上报)")
def escalate(request: ApiRequest, case_id: int, body: EscalateBody) -> Case:
    case = _visible_pk(request, case_id)
    actions.escalate_case(
        actor=request.auth,
        case=case,
        reason=body.reason,
        to_tier=body.to_tier,
        referred_to=body.referred_to,
        expected_version=body.version,
    )
    return _detail(request, case_id, acted_on=True)


@_action_route("return", "Hand the case back with a reason (退单)")
def return_(request: ApiRequest, case_id: int, body: ReasonBody) -> Case:
    case = _visible_pk(request, case_id)
    actions.return_case(
        actor=request.auth, case=case, reason=body.reason, expected_version=body.version
    )
    return _detail(request, case_id, acted_on=True)


@_action_route("resolve", "Resolve: how, and a summary (办结)")
def resolve(request: ApiRequest, case_id: int, body: ResolveBody) -> Case:
    case = _visible_pk(request, case_id)
    actions.resolve_case(
        actor=request.auth,
        case=case,
        method=body.method.value,
        summary=body.summary,
        expected_version=body.version,
    )
    return _detail(request, case_id, acted_on=True)


@_action_route(
    "follow-up", "The reporter rates the result: satisfied, or not and reopen (居民评价)"
)
def follow_up(request: ApiRequest, case_id: int, body: FollowUpBody) -> Case:
    case = _visible_pk(request, case_id)
    actions.follow_up_case(
        actor=request.auth,
        case=case,
        satisfied=body.satisfied,
        note=body.note,
        expected_version=body.version,
    )
    return _detail(request, case_id, acted_on=True)


@_action_route("rate-on-behalf", "Record the rating a resident gave offline, and how (代居民评价)")
def rate_on_behalf(request: ApiRequest, case_id: int, body: RateOnBehalfBody) -> Case:
    case = _visible_pk(request, case_id)
    actions.rate_on_behalf(
        actor=request.auth,
        case=case,
        satisfied=body.satisfied,
        via=body.via.value,
        note=body.note,
        expected_version=body.version,
    )
    return _detail(request, case_id)


@_action_route("close", "Close the case (结案)")
def close(request: ApiRequest, case_id: int, body: CloseBody) -> Case:
    case = _visible_pk(request, case_id)
    actions.close_case(actor=request.auth, case=case, note=body.note, expected_version=body.version)
    return _detail(request, case_id, acted_on=True)


@_action_route("merge", "Merge a duplicate into the open case it repeats")
def merge(request: ApiRequest, case_id: int, body: MergeBody) -> Case:
    case = _visible_pk(request, case_id)
    into = _visible(request).only("pk").filter(pk=body.into).first()
    if into is None:
        raise _field_error("into", _("There is no such case among yours."))
    actions.merge_case(
        actor=request.auth,
        case=case,
        into=into,
        reason=body.reason,
        expected_version=body.version,
    )
    return _detail(request, case_id, acted_on=True)


@_action_route("reject", "Turn the case down with a reason (不予受理)")
def reject(request: ApiRequest, case_id: int, body: ReasonBody) -> Case:
    case = _visible_pk(request, case_id)
    actions.reject_case(
        actor=request.auth, case=case, reason=body.reason, expected_version=body.version
    )
    return _detail(request, case_id, acted_on=True)
