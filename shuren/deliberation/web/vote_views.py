"""The owners' vote pages that read: the votes a user may see (organisers theirs, owners those
they are electors of), a vote's page (the notice, the electorate's size, an elector's ballot
form or their ballot as it came in; for organisers the roll of who voted and their forms) and
the result with both tests and the numbers behind them. Anyone else gets 404, as for a
missing id."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.deliberation.votes.choices import Status
from shuren.deliberation.votes.counting import stored_result
from shuren.deliberation.votes.electorate import owner_keys_of
from shuren.deliberation.votes.models import Ballot, Vote, VoteUnit, organiser_roots
from shuren.deliberation.votes.notice import notice_available
from shuren.deliberation.votes.outcome import outcome_words, tests
from shuren.deliberation.votes.roll import roll, size
from shuren.deliberation.votes.rules import available_actions, organises
from shuren.deliberation.web.vote_forms import (
    BallotForm,
    CancelForm,
    EnterBallotForm,
    RecountAddForm,
    RecountForm,
    VersionForm,
)

PAGE_SIZE = 20


def visible_vote(user: Any, pk: int) -> Vote:
    return get_object_or_404(Vote.objects.visible_to(user).select_related("place"), pk=pk)


@login_required
@require_GET
def vote_list(request: AuthenticatedRequest) -> HttpResponse:
    """业主表决: the votes the user organises or is an elector of, newest notice first."""
    votes = Vote.objects.visible_to(request.user).select_related("place")
    page = Paginator(votes.order_by("-notice_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deliberation/votes/list.html",
        {"page": page, "organises": bool(organiser_roots(request.user))},
    )


def _entry_choices(lines: list[Any]) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The owners still to vote (by room) and the registered owners who may sign for them."""
    owners: list[tuple[str, str]] = []
    signers: list[tuple[int, str]] = []
    for line in lines:
        if line.ballot is None:
            owners.append((line.owner_key, line.label))
            rooms = "、".join(line.rooms)
            signers.extend((pk, f"{rooms} {name}") for pk, name in line.owners)
    return owners, signers


def my_open_owners(v: Vote, keys: list[str]) -> list[tuple[str, str]]:
    """An owner of several units held differently (several owner keys): those still to vote,
    by their rooms, for them to choose which a ballot is for (1 query; none for one key)."""
    if len(keys) < 2:
        return []
    rooms: dict[str, list[str]] = {}
    voted = set(
        Ballot.objects.filter(vote=v, owner_key__in=keys).values_list("owner_key", flat=True)
    )
    for key, room in VoteUnit.objects.filter(vote=v, owner_key__in=keys).values_list(
        "owner_key", "room"
    ):
        if key not in voted:
            rooms.setdefault(key, []).append(room)
    return [(key, "、".join(found)) for key, found in sorted(rooms.items())]


def vote_context(
    request: AuthenticatedRequest,
    v: Vote,
    *,
    bound: dict[str, Any] | None = None,
    error: str = "",
    error_code: str = "",
    confirm: str = "",
    confirm_owner: str = "",
) -> dict[str, Any]:
    """What the vote page shows this user now; `bound` holds a form that came back refused."""
    user = request.user
    bound = bound or {}
    actions = available_actions(user, v)
    units, owners = size(v)
    keys = owner_keys_of(v, getattr(user, "person_id", None))
    mine = list(Ballot.objects.filter(vote=v, owner_key__in=keys)) if keys else []
    my_owners = my_open_owners(v, keys)
    context: dict[str, Any] = {
        "vote": v,
        "units": units,
        "owners": owners,
        "actions": actions,
        "my_ballots": mine,
        "elector": bool(keys),
        "error": error,
        "error_code": error_code,
        "confirm": confirm,
        "confirm_label": dict(BallotForm.base_fields["choice"].choices).get(confirm, ""),  # type: ignore[attr-defined]
        "confirm_owner": confirm_owner,
        "confirm_rooms": dict(my_owners).get(confirm_owner, ""),
        "ballot_form": bound.get("cast")
        or BallotForm(initial={"version": v.version}, owners=my_owners),
    }
    if not organises(user, v):
        return context
    lines = roll(v)
    entry_owners, signers = _entry_choices(lines)
    ballots = [(line.ballot.pk, line.label) for line in lines if line.ballot is not None]
    context.update(
        {
            "organiser": True,
            "roll": lines,
            "voted": sum(1 for line in lines if line.ballot is not None),
            "paper_form": bound.get("paper")
            or EnterBallotForm(initial={"origin": "paper"}, owners=entry_owners, signers=signers),
            "proxy_form": bound.get("proxy")
            or EnterBallotForm(
                initial={"origin": "proxy"},
                owners=entry_owners,
                signers=signers,
                auto_id="proxy-%s",
            ),
            "close_form": VersionForm(initial={"version": v.version}),
            "cancel_form": bound.get("cancel") or CancelForm(initial={"version": v.version}),
            "recount_form": bound.get("recount")
            or RecountForm(initial={"version": v.version}, ballots=ballots),
            "recount_add_form": bound.get("recount_add")
            or RecountAddForm(
                initial={"version": v.version, "kind": "add"},
                owners=entry_owners,
                signers=signers,
                auto_id="add-%s",
            ),
        }
    )
    return context


@login_required
@require_GET
def vote(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A vote its organisers and electors read; anyone else gets 404, as for a missing id."""
    v = visible_vote(request.user, pk)
    return render(request, "deliberation/votes/detail.html", vote_context(request, v))


def result_context(v: Vote) -> dict[str, Any]:
    """The count kept at the close (or the last recount); before it, the page says when."""
    result = stored_result(v) if v.status == Status.CLOSED else None
    units, owners = size(v)
    if result is None:
        return {"vote": v, "units": units, "owners": owners, "result": None}
    return {
        "vote": v,
        "units": units,
        "owners": owners,
        "result": result,
        "tests": tests(result),
        "outcome": outcome_words(result),
        "notice_problem": notice_available(),
        "recounts": list(v.events.filter(kind="recounted").order_by("at", "pk")),
    }


@login_required
@require_GET
def result(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The result: both tests, each by area and by headcount, with the numbers behind them."""
    v = visible_vote(request.user, pk)
    # A recount's reason may name an owner (a forged signature): its organisers read it; the
    # electors read that the count was corrected, and when.
    context = {**result_context(v), "reasons_shown": organises(request.user, v)}
    return render(request, "deliberation/votes/result.html", context)
