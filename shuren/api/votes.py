"""API endpoints for owners' votes (业主表决): calling one, the votes in the caller's sight, one
vote, a ballot (an owner's own; an organiser's paper or proxy entry, with its files as
multipart), and the result with both tests.

Every endpoint is thin: it finds the vote through `visible_to` (another's vote is a 404 exactly
like a missing id) and calls the one action in deliberation/actions.py, which checks
permission, time, the electorate and the law itself. A refusal that does not fit the vote's
state now (not open yet, late, counted, called off) answers 409 with its code; a bad value 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Status

from shuren.api.auth import ApiRequest
from shuren.api.bodies import JsonOrForm
from shuren.api.case_schemas import MAX_ID
from shuren.api.errors import ApiError
from shuren.api.schemas import ERRORS, ErrorOut
from shuren.api.vote_schemas import (
    AddBallotIn,
    BallotIn,
    CancelVoteIn,
    RecountIn,
    VoteBallotOut,
    VoteDetailOut,
    VoteIn,
    VoteListIn,
    VotePageOut,
    VoteResultOut,
)
from shuren.deliberation import actions
from shuren.deliberation.models import Ballot, Vote
from shuren.deliberation.votes.counting import stored_result
from shuren.deliberation.votes.electorate import owner_keys_of
from shuren.deliberation.votes.law import VOTE_PLACE_KINDS
from shuren.deliberation.votes.models import organiser_roots
from shuren.deliberation.votes.outcome import outcome_words, tests
from shuren.deliberation.votes.roll import size
from shuren.deliberation.votes.rules import available_actions, organises
from shuren.people.models import Person
from shuren.places.models import Place

router = Router(tags=["votes"])

VoteBody = Annotated[VoteIn, JsonOrForm(...)]
BallotBody = Annotated[BallotIn, JsonOrForm(...)]
RecountBody = Annotated[RecountIn, JsonOrForm(...)]
AddBallotBody = Annotated[AddBallotIn, JsonOrForm(...)]
CancelBody = Annotated[CancelVoteIn, JsonOrForm(...)]
STATE_CODES = frozenset(
    {"cancelled", "counted", "not_open", "late", "status", "still_open", "not_counted"}
)
WRITE_ERRORS: dict[int, Any] = {400: ErrorOut, **ERRORS, 409: ErrorOut}


def _in_state(exc: ValidationError) -> None:
    """A refusal by the vote's state now is a conflict with it (409), not a bad value."""
    code = getattr(exc, "code", None)
    if code in STATE_CODES:
        raise ApiError(409, str(code), exc.messages[0]) from exc


def _visible(request: ApiRequest, vote_id: int) -> Vote:
    if vote_id > MAX_ID:
        raise Http404
    found = Vote.objects.visible_to(request.auth).select_related("place").filter(pk=vote_id)
    vote = found.first()
    if vote is None:
        raise Http404
    return vote


def _out(vote: Vote) -> dict[str, Any]:
    return {
        "id": vote.pk,
        "title": vote.title,
        "description": vote.description,
        "matter": vote.matter,
        "matter_label": vote.get_matter_display(),
        "place": vote.place,
        "status": vote.status,
        "status_label": vote.get_status_display(),
        "notice_at": vote.notice_at,
        "opens_at": vote.opens_at,
        "closes_at": vote.closes_at,
        "passed": vote.passed,
        "version": vote.version,
    }


def _ballot_out(b: Ballot) -> dict[str, Any]:
    return {
        "id": b.pk,
        "owner_key": b.owner_key,
        "choice": b.choice,
        "choice_label": b.get_choice_display(),
        "origin": b.origin,
        "origin_label": b.get_origin_display(),
        "proxy_name": b.proxy_name,
        "cast_at": b.cast_at,
        "voided": b.voided_at is not None,
    }


def _detail(request: ApiRequest, vote: Vote) -> dict[str, Any]:
    user = request.auth
    units, owners = size(vote)
    keys = owner_keys_of(vote, getattr(user, "person_id", None))
    mine = Ballot.objects.filter(vote=vote, owner_key__in=keys) if keys else []
    return {
        **_out(vote),
        "units": units,
        "owners": owners,
        "voted": Ballot.objects.filter(vote=vote).count() if organises(user, vote) else None,
        "my_ballots": [_ballot_out(b) for b in mine],
        "actions": available_actions(user, vote),
    }


@router.get(
    "/votes",
    response={200: VotePageOut, **ERRORS},
    summary="Owners' votes I organise or am an owner in",
)
def list_votes(request: ApiRequest, filters: Query[VoteListIn]) -> dict[str, Any]:
    """Newest notice first. Page on with `offset`."""
    votes = Vote.objects.visible_to(request.auth).select_related("place")
    count = votes.count()
    page = votes.order_by("-notice_at", "-pk")[filters.offset : filters.offset + filters.limit]
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_out(v) for v in page],
    }


@router.get(
    "/votes/{int:vote_id}",
    response={200: VoteDetailOut, **ERRORS},
    summary="One owners' vote: its notice, electorate size, my ballot and what I may do",
)
def get_vote(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    return _detail(request, _visible(request, vote_id))


def _place(request: ApiRequest, place_id: int) -> Place:
    """An estate, building or stairwell under the caller's organiser posts: any other id reads
    exactly like a missing one."""
    roots = organiser_roots(request.auth)
    place = Place.objects.filter(pk=place_id, kind__in=VOTE_PLACE_KINDS).first()
    if place is None or not any(place.path.startswith(root) for root in roots):
        raise ValidationError(
            {"place": ValidationError(_("There is no such place among yours."), code="not_found")}
        )
    return place


def _aware(moment: dt.datetime) -> dt.datetime:
    """A time without an offset is Guicheng's (as the mediation API reads one)."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@router.post(
    "/votes",
    response={201: VoteDetailOut, 200: VoteDetailOut, **WRITE_ERRORS},
    summary="Call an owners' vote (publish its notice)",
)
def call_vote(
    request: ApiRequest,
    body: VoteBody,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=100,
        pattern=r"^[\x21-\x7e]+$",
        description="Send the same key when retrying: the retry returns the first vote (200). "
        "Printable ASCII, at most 100 characters.",
    ),
) -> Status[dict[str, Any]]:
    """For organisers (community, subdistrict staff, homeowners' committee) over a place
    under their posts; the electorate is fixed from the register now. 201 with the new vote;
    200 with the vote an earlier request with the same Idempotency-Key called."""
    place = _place(request, body.place)
    vote = actions.call_vote(
        actor=request.auth,
        place=place,
        matter=body.matter,
        title=body.title,
        description=body.description,
        opens_at=_aware(body.opens_at),
        closes_at=_aware(body.closes_at),
        idempotency_key=idempotency_key or "",
    )
    replayed = getattr(vote, "replayed", False)
    return Status(200 if replayed else 201, _detail(request, _visible(request, vote.pk)))


@router.post(
    "/votes/{int:vote_id}/ballots",
    response={201: VoteBallotOut, **WRITE_ERRORS},
    summary="Cast my ballot, or (organisers) enter a paper or proxy ballot",
)
def post_ballot(request: ApiRequest, vote_id: int, body: BallotBody) -> Status[dict[str, Any]]:
    """One ballot per owner per vote: a second answers 422 `already_voted`. Before the opening
    or from the close on: 409 `not_open` / `late`; after the count 409 `counted`. Someone
    outside the electorate: 403. A paper or proxy ballot is sent multipart with its files."""
    vote = _visible(request, vote_id)
    try:
        if body.origin == "web":
            ballot = actions.cast_ballot(
                actor=request.auth, vote=vote, choice=body.choice, owner_key=body.owner_key
            )
        else:
            person = Person.objects.filter(pk=body.person).first() if body.person else None
            ballot = actions.enter_ballot(
                actor=request.auth,
                vote=vote,
                owner_key=body.owner_key,
                choice=body.choice,
                origin=body.origin,
                person=person,
                owner_name=body.owner_name,
                proxy_name=body.proxy_name,
                paper=request.FILES.get("paper"),
                authorisation=request.FILES.get("authorisation"),
            )
    except ValidationError as exc:
        _in_state(exc)
        raise
    return Status(201, _ballot_out(ballot))


@router.get(
    "/votes/{int:vote_id}/result",
    response={200: VoteResultOut, **ERRORS},
    summary="The result: both tests with the numbers behind them (counts only)",
)
def get_result(request: ApiRequest, vote_id: int) -> dict[str, Any]:
    """Before the count `counted` is false and the tests are empty."""
    vote = _visible(request, vote_id)
    result = stored_result(vote) if vote.status == "closed" else None
    return {
        "vote": vote.pk,
        "status": vote.status,
        "counted": result is not None,
        "counted_at": vote.counted_at if result else None,
        "quorum_met": vote.quorum_met if result else None,
        "passed": vote.passed if result else None,
        "outcome": outcome_words(result) if result else "",
        "tests": [
            {**t.__dict__, "measures": [m.__dict__ for m in t.measures]} for t in tests(result)
        ]
        if result
        else [],
    }


@router.post(
    "/votes/{int:vote_id}/recount",
    response={200: VoteResultOut, **WRITE_ERRORS},
    summary="Recount a counted vote with corrections, saying why (organisers)",
)
def recount(request: ApiRequest, vote_id: int, body: RecountBody) -> dict[str, Any]:
    """Changes a wrongly entered choice or voids a ballot that must not count, then counts
    again; the result answers. A vote not counted yet: 409 `not_counted`."""
    vote = _visible(request, vote_id)
    corrections: list[actions.Correction] = []
    for c in body.corrections:
        if c.kind == "void":
            corrections.append(actions.VoidBallot(ballot=c.ballot))
        elif c.choice is None:
            raise ValidationError(
                {"corrections": ValidationError(_("Say what the paper says."), code="choice")}
            )
        else:
            corrections.append(actions.ChangeChoice(ballot=c.ballot, choice=c.choice))
    try:
        actions.recount_vote(
            actor=request.auth,
            vote=vote,
            corrections=corrections,
            reason=body.reason,
            expected_version=body.version,
        )
    except ValidationError as exc:
        _in_state(exc)
        raise
    return get_result(request, vote_id)


@router.post(
    "/votes/{int:vote_id}/recount/ballots",
    response={200: VoteResultOut, **WRITE_ERRORS},
    summary="Add a paper or proxy ballot received on time but missed, and recount (organisers)",
)
def recount_add_ballot(request: ApiRequest, vote_id: int, body: AddBallotBody) -> dict[str, Any]:
    """Sent multipart with its files (`paper`: the scan, required on paper; `authorisation`:
    the written authorisation, required by proxy). Received after the close: 409 `late`; an
    owner who has a ballot already: 422. A vote not counted yet: 409 `not_counted`."""
    vote = _visible(request, vote_id)
    add = actions.AddBallot(
        owner_key=body.owner_key,
        choice=body.choice,
        origin=body.origin,
        received_at=_aware(body.received_at),
        person=Person.objects.filter(pk=body.person).first() if body.person else None,
        owner_name=body.owner_name,
        proxy_name=body.proxy_name,
        paper=request.FILES.get("paper"),
        authorisation=request.FILES.get("authorisation"),
    )
    try:
        actions.recount_vote(
            actor=request.auth,
            vote=vote,
            corrections=[add],
            reason=body.reason,
            expected_version=body.version,
        )
    except ValidationError as exc:
        _in_state(exc)
        raise
    return get_result(request, vote_id)


@router.post(
    "/votes/{int:vote_id}/cancel",
    response={200: VoteDetailOut, **WRITE_ERRORS},
    summary="Call off a vote not yet counted, saying why (organisers)",
)
def cancel(request: ApiRequest, vote_id: int, body: CancelBody) -> dict[str, Any]:
    """Its electors are told and its ballots are never counted. Counted or already called
    off: 409 `status`."""
    vote = _visible(request, vote_id)
    try:
        actions.cancel_vote(
            actor=request.auth, vote=vote, reason=body.reason, expected_version=body.version
        )
    except ValidationError as exc:
        _in_state(exc)
        raise
    return _detail(request, _visible(request, vote_id))
