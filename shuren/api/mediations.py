"""API endpoints for mediation cases (调解案件): the register of the caller's organisations,
registering a dispute, one case with its file, and one POST per action.

Every endpoint is thin: it reads the request, finds the case through `visible_to` (a case of
another organisation is a 404 exactly like a missing id) and calls the one action in
mediation/actions.py, which checks permission, version, state and the law itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from shuren.api.auth import ApiRequest
from shuren.api.bodies import JsonOrForm
from shuren.api.case_schemas import MAX_ID, CaseConflictOut
from shuren.api.errors import ApiError
from shuren.api.mediation_schemas import (
    AddPartyIn,
    AgreementIn,
    ArchiveIn,
    ConfirmationIn,
    ConsentIn,
    ExtendIn,
    MediationCloseIn,
    MediationDetailOut,
    MediationFiltersIn,
    MediationFollowUpIn,
    MediationIn,
    MediationPageOut,
    MediatorsIn,
    PartyIn,
    PreventionIn,
    RiskIn,
    SessionIn,
)
from shuren.api.schemas import ERRORS, ErrorOut
from shuren.mediation import actions
from shuren.mediation.casefile import checklist
from shuren.mediation.models import (
    ORGANISATION_KINDS,
    Mediation,
    MediationQuerySet,
    organisations_of,
)
from shuren.mediation.progress import DENIED
from shuren.mediation.rules import available_actions, registration_roots
from shuren.people.models import Person, Team, active_q
from shuren.people.roles import Role
from shuren.places.models import Place

if TYPE_CHECKING:
    pass

router = Router(tags=["mediations"])

# The domain's actions (law.ACTIONS) and the routes that take them. Papers are added on the
# page (a file upload), so add_document has no route here and is not offered by the API.
ROUTES = {
    "add_party": "parties",
    "consent": "consent",
    "choose_mediators": "mediators",
    "hold_session": "session",
    "extend": "extend",
    "issue_agreement": "agreement",
    "close": "close",
    "record_confirmation": "confirmation",
    "follow_up": "follow-up",
    "mark_risk": "risk",
    "record_prevention": "prevention",
    "archive": "archive",
}
PAGE_ONLY = frozenset({"add_document"})

RegisterBody = Annotated[MediationIn, JsonOrForm(...)]
AddPartyBody = Annotated[AddPartyIn, JsonOrForm(...)]
ConsentBody = Annotated[ConsentIn, JsonOrForm(...)]
MediatorsBody = Annotated[MediatorsIn, JsonOrForm(...)]
SessionBody = Annotated[SessionIn, JsonOrForm(...)]
ExtendBody = Annotated[ExtendIn, JsonOrForm(...)]
AgreementBody = Annotated[AgreementIn, JsonOrForm(...)]
CloseBody = Annotated[MediationCloseIn, JsonOrForm(...)]
ConfirmationBody = Annotated[ConfirmationIn, JsonOrForm(...)]
FollowUpBody = Annotated[MediationFollowUpIn, JsonOrForm(...)]
RiskBody = Annotated[RiskIn, JsonOrForm(...)]
PreventionBody = Annotated[PreventionIn, JsonOrForm(...)]
ArchiveBody = Annotated[ArchiveIn, JsonOrForm(...)]


def _field_error(field: str, message: str, code: str = "not_found") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# --- Reading ------------------------------------------------------------------------------------


def _visible(request: ApiRequest) -> MediationQuerySet:
    return Mediation.objects.visible_to(request.auth)


def _visible_pk(request: ApiRequest, mediation_id: int) -> Mediation:
    """The case the action is about (its id and organisation): another organisation's case
    answers 404, exactly like a missing id."""
    if mediation_id > MAX_ID:
        raise Http404
    found = _visible(request).only("pk", "organisation_id").filter(pk=mediation_id).first()
    if found is None:
        raise Http404
    return found


def _detail(request: ApiRequest, mediation_id: int) -> Mediation:
    if mediation_id > MAX_ID:
        raise Http404
    m = _visible(request).select_related("organisation", "place").filter(pk=mediation_id).first()
    if m is None:
        raise Http404
    m.api_parties = list(m.parties.select_related("asked_for", "refused"))  # type: ignore[attr-defined]
    m.api_sessions = list(  # type: ignore[attr-defined]
        m.sessions.prefetch_related("parties", "mediators")
    )
    m.api_events = list(  # type: ignore[attr-defined]
        m.events.select_related("actor__person").order_by("at", "pk")
    )
    m.api_checklist = checklist(m)  # type: ignore[attr-defined]
    # The domain decides (mediation.rules.available_actions); the API names each by its route.
    m.api_actions = [  # type: ignore[attr-defined]
        ROUTES[name] for name in available_actions(request.auth, m) if name in ROUTES
    ]
    return m


@router.get(
    "/mediations",
    response={200: MediationPageOut, **ERRORS},
    summary="Mediation cases of my organisations",
)
def list_mediations(request: ApiRequest, filters: Query[MediationFiltersIn]) -> dict[str, Any]:
    """The register (调解登记簿) of the organisations the caller mediates for, newest first; for
    anyone else it is empty (they read the statistics, never the cases). Page on with
    `offset`."""
    cases = _visible(request)
    if filters.status:
        cases = cases.filter(status=filters.status.value)
    count = cases.count() if organisations_of(request.auth) else 0
    page = cases.select_related("organisation")[filters.offset : filters.offset + filters.limit]
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": list(page) if count else [],
    }


@router.get(
    "/mediations/{int:mediation_id}",
    response={200: MediationDetailOut, **ERRORS},
    summary="One mediation case with its parties, sessions, agreement and file",
)
def get_mediation(request: ApiRequest, mediation_id: int) -> Mediation:
    """Parties' phone and ID numbers are masked; they are read on the case page, each reading
    logged."""
    return _detail(request, mediation_id)


# --- Registering --------------------------------------------------------------------------------


def _organisation(request: ApiRequest, organisation_id: int) -> Team:
    organisation = Team.objects.filter(pk=organisation_id, kind__in=ORGANISATION_KINDS).first()
    if organisation is None:
        raise _field_error("organisation", _("There is no such mediation organisation."))
    if organisation.pk not in organisations_of(request.auth):
        raise PermissionDenied(_(DENIED))
    return organisation


def _place(request: ApiRequest, organisation: Team, place_id: int) -> Place:
    """A place under the caller's own posts for the organisation (mediation.rules): any other
    id reads exactly like a missing one."""
    roots = registration_roots(request.auth, organisation)
    place = Place.objects.filter(pk=place_id).first()
    if place is None or not any(place.path.startswith(root) for root in roots):
        raise _field_error("place", _("There is no such place among yours."))
    return place


def _party_input(p: PartyIn) -> actions.PartyInput:
    return actions.PartyInput(
        role=p.role.value,
        name=p.name,
        gender=p.gender,
        id_number=p.id_number,
        phone=p.phone,
        address=p.address,
    )


@router.post(
    "/mediations",
    response={201: MediationDetailOut, 200: MediationDetailOut, 400: ErrorOut, **ERRORS},
    summary="Register a dispute (登记)",
)
def register_mediation(
    request: ApiRequest,
    body: RegisterBody,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="Send the same key when retrying: the retry returns the first case (200). "
        "The same key with another dispute answers 422 `idempotency_key_reused`. Printable "
        "ASCII, at most 100 characters.",
    ),
) -> Status[Mediation]:
    """For an organisation the caller mediates for (another one: 403), at a place under their
    own posts for it. 201 with the new case; 200 with the case an earlier request with the
    same Idempotency-Key registered."""
    organisation = _organisation(request, body.organisation)
    place = _place(request, organisation, body.place)
    try:
        m = actions.register_mediation(
            actor=request.auth,
            organisation=organisation,
            place=place,
            source=body.source.value,
            referrer=body.referrer.value if body.referrer else "",
            dispute_type=body.dispute_type.value,
            title=body.title,
            summary=body.summary,
            amount=body.amount,
            parties=[_party_input(p) for p in body.parties],
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
    return Status(200 if m.replayed else 201, _detail(request, m.pk))


# --- Actions ------------------------------------------------------------------------------------

ACTION_RESPONSES: dict[int, Any] = {
    200: MediationDetailOut,
    400: ErrorOut,
    **ERRORS,
    409: CaseConflictOut,
}
VERSION_NOTE = (
    " Send the case's `version`; a stale one answers 409 `conflict` with `current_version`. "
    "A step the case's state does not allow answers 409 `illegal_transition`; what the law "
    "refuses (no consent, an item of Art. 29 missing …) answers 422 saying why. "
    "Form-encoded fields are accepted as well as JSON."
)


def _action_route(name: str, summary: str) -> Any:
    return router.post(
        f"/mediations/{{int:mediation_id}}/{name}",
        response=ACTION_RESPONSES,
        summary=summary,
        description=summary + "." + VERSION_NOTE,
        operation_id=f"mediation_{name.replace('-', '_')}",
    )


def _mediators(m: Mediation, ids: list[int], field: str) -> list[Person]:
    """The organisation's mediators by id; any other id, whoever it names, reads like a
    missing one (no name is given away)."""
    found = {
        p.pk: p
        for p in Person.objects.filter(
            active_q(prefix="posts__"),
            posts__role=Role.TIAOJIEYUAN,
            posts__team_id=m.organisation_id,
            pk__in=ids,
        ).distinct()
    }
    if any(pk not in found for pk in ids):
        raise _field_error(field, _("There is no such mediator in this organisation."))
    return [found[pk] for pk in ids]


def _one_mediator(m: Mediation, pk: int | None, field: str) -> Person | None:
    return None if pk is None else _mediators(m, [pk], field)[0]


@_action_route("parties", "Add a party the registration did not name")
def add_party(request: ApiRequest, mediation_id: int, body: AddPartyBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.add_party(
        actor=request.auth, mediation=m, party=_party_input(body), expected_version=body.version
    )
    return _detail(request, mediation_id)


@_action_route("consent", "Record a party's consent to mediation (Art. 17, 23)")
def consent(request: ApiRequest, mediation_id: int, body: ConsentBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.record_consent(
        actor=request.auth,
        mediation=m,
        party=body.party,
        consent=body.consent.value,
        asked_for=_one_mediator(m, body.asked_for, "asked_for"),
        refused=_one_mediator(m, body.refused, "refused"),
        expected_version=body.version,
    )
    return _detail(request, mediation_id)


@_action_route("mediators", "Choose the case's mediators (Art. 23)")
def mediators(request: ApiRequest, mediation_id: int, body: MediatorsBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.choose_mediators(
        actor=request.auth,
        mediation=m,
        mediators=_mediators(m, body.mediators, "mediators"),
        expected_version=body.version,
    )
    return _detail(request, mediation_id)


@_action_route("session", "Record a session with its record (调解, Art. 27)")
def session(request: ApiRequest, mediation_id: int, body: SessionBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    held_at = body.held_at
    if timezone.is_naive(held_at):  # a time without an offset is Guicheng's
        held_at = timezone.make_aware(held_at)
    actions.hold_session(
        actor=request.auth,
        mediation=m,
        held_at=held_at,
        venue=body.venue,
        parties=body.parties,
        record=body.record,
        mediators=_mediators(m, body.mediators, "mediators"),
        others_present=body.others_present,
        expected_version=body.version,
    )
    return _detail(request, mediation_id)


@_action_route("extend", "Extend the time limit with both parties' consent")
def extend(request: ApiRequest, mediation_id: int, body: ExtendBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.extend_time_limit(
        actor=request.auth,
        mediation=m,
        days=body.days,
        parties_consented=body.parties_consented,
        reason=body.reason,
        expected_version=body.version,
    )
    return _detail(request, mediation_id)


@_action_route("agreement", "Issue the agreement, written or oral (Art. 28, 29)")
def agreement(request: ApiRequest, mediation_id: int, body: AgreementBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.issue_agreement(
        actor=request.auth,
        mediation=m,
        form=body.form.value,
        facts=body.facts,
        points_in_dispute=body.points_in_dispute,
        responsibilities=body.responsibilities,
        agreed_content=body.agreed_content,
        performance_manner=body.performance_manner,
        performance_place=body.performance_place,
        performance_deadline=body.performance_deadline,
        agreed_on=body.agreed_on,
        expected_version=body.version,
    )
    return _detail(request, mediation_id)


@_action_route("close", "End without agreement: failed, terminated, withdrawn (Art. 26)")
def close(request: ApiRequest, mediation_id: int, body: CloseBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.close_mediation(
        actor=request.auth,
        mediation=m,
        outcome=body.outcome.value,
        note=body.note,
        routes_told=[r.value for r in body.routes_told],
        expected_version=body.version,
    )
    return _detail(request, mediation_id)


@_action_route("confirmation", "Record the judicial confirmation (Art. 33)")
def confirmation(request: ApiRequest, mediation_id: int, body: ConfirmationBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.record_confirmation(
        actor=request.auth,
        mediation=m,
        confirmation=body.confirmation.value,
        note=body.note,
        expected_version=body.version,
    )
    return _detail(request, mediation_id)


@_action_route("follow-up", "Record a follow-up visit (回访, Art. 31)")
def follow_up(request: ApiRequest, mediation_id: int, body: FollowUpBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.follow_up(
        actor=request.auth,
        mediation=m,
        performance=body.performance.value,
        satisfaction=body.satisfaction.value,
        recurred=body.recurred,
        measures=body.measures,
        visited_on=body.visited_on,
        expected_version=body.version,
    )
    return _detail(request, mediation_id)


@_action_route("risk", "Mark the case at risk of violence or crime (Art. 25)")
def risk(request: ApiRequest, mediation_id: int, body: RiskBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.mark_risk(
        actor=request.auth,
        mediation=m,
        note=body.note,
        police_informed=body.police_informed,
        expected_version=body.version,
    )
    return _detail(request, mediation_id)


@_action_route("prevention", "Record the persons kept from a criminal case or a petition")
def prevention(request: ApiRequest, mediation_id: int, body: PreventionBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.record_prevention(
        actor=request.auth,
        mediation=m,
        criminal_persons=body.criminal_persons,
        petition_persons=body.petition_persons,
        expected_version=body.version,
    )
    return _detail(request, mediation_id)


@_action_route("archive", "Archive the case file (归档, Art. 27)")
def archive(request: ApiRequest, mediation_id: int, body: ArchiveBody) -> Mediation:
    m = _visible_pk(request, mediation_id)
    actions.archive_mediation(actor=request.auth, mediation=m, expected_version=body.version)
    return _detail(request, mediation_id)


__all__ = ["PAGE_ONLY", "ROUTES", "router"]
