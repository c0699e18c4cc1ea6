"""The owners' vote pages that write: calling a vote, an owner's ballot, a paper or proxy ballot
entered by staff, the count, a recount and calling a vote off. Each view finds the vote in the
user's sight, validates its form and calls one action.

Answers: 302 back to the page when the action succeeded; 403 when the user may not take it;
409 when the vote changed since the page was rendered or the action does not fit its state
(not open yet, closed, counted); 422 when the form is incomplete or the law refuses it. Each
error answer shows the page again with the message in words. Out of scope is a 404, exactly
like a missing id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from shuren.accounts.http import AuthenticatedRequest
from shuren.deliberation import actions
from shuren.deliberation.votes.electorate import owner_keys_of
from shuren.deliberation.votes.law import VOTE_PLACE_KINDS
from shuren.deliberation.votes.models import Vote, organiser_roots
from shuren.deliberation.votes.roll import roll
from shuren.deliberation.votes.rules import organises
from shuren.deliberation.web.vote_forms import (
    VOID,
    BallotForm,
    CallVoteForm,
    CancelForm,
    EnterBallotForm,
    RecountAddForm,
    RecountForm,
    VersionForm,
)
from shuren.deliberation.web.vote_views import (
    _entry_choices,
    my_open_owners,
    visible_vote,
    vote_context,
)
from shuren.kernel.action_answer import INVALID_MESSAGE, Refusals, attempt
from shuren.people.models import Person
from shuren.places.models import Place
from shuren.places.paths import subtree_q

STALE_MESSAGE = gettext_lazy(
    "Someone else changed this vote while you had the page open, so nothing was saved. The "
    "page below shows the vote as it is now; check it, then try again."
)
DENIED_MESSAGE = gettext_lazy("Only the vote's organisers may do this.")
NOT_ELECTOR_MESSAGE = gettext_lazy("Only the owners in this vote's electorate may vote in it.")
# What does not fit the vote's state now: a conflict with it (409), not a bad value (422).
STATE_CODES = frozenset(
    {"cancelled", "counted", "not_open", "late", "status", "still_open", "not_counted"}
)
REFUSALS = Refusals(stale=STALE_MESSAGE, denied=DENIED_MESSAGE, state_codes=STATE_CODES)


def _answer(
    request: AuthenticatedRequest,
    pk: int,
    *,
    status: int,
    code: str,
    message: str,
    bound: dict[str, Any] | None = None,
    confirm: str = "",
    confirm_owner: str = "",
) -> HttpResponse:
    v = visible_vote(request.user, pk)  # afresh: it may have changed
    context = vote_context(
        request,
        v,
        bound=bound,
        error=message,
        error_code=code,
        confirm=confirm,
        confirm_owner=confirm_owner,
    )
    return render(request, "deliberation/votes/detail.html", context, status=status)


def _run(
    request: AuthenticatedRequest,
    pk: int,
    key: str,
    form: Any,
    run: Callable[[], Any],
    done: str,
    denied: Any = DENIED_MESSAGE,
) -> HttpResponse:
    """Validate, call the one action, answer (the refusals in words)."""

    def refuse(status: int, code: str, message: str, bound: Any) -> HttpResponse:
        # A stale form is not shown again: the page shows the vote as it is now.
        kept = {key: bound} if bound is not None and code != "stale_version" else None
        return _answer(request, pk, status=status, code=code, message=message, bound=kept)

    outcome = attempt(form, run, refuse=refuse, refusals=replace(REFUSALS, denied=denied))
    if isinstance(outcome, HttpResponse):
        return outcome
    messages.success(request, done)
    return redirect(visible_vote(request.user, pk).get_absolute_url())


def _denied(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An elector who is not an organiser asks for an organiser's action: refused, no form read."""
    return _answer(request, pk, status=403, code="permission_denied", message=str(DENIED_MESSAGE))


@login_required
@require_POST
def cast(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An owner's own ballot: a tap on 同意, 反对 or 弃权 asks to confirm; confirmed, it is cast."""
    v = visible_vote(request.user, pk)
    keys = owner_keys_of(v, getattr(request.user, "person_id", None))
    form = BallotForm(request.POST, owners=my_open_owners(v, keys))
    if form.is_valid() and not form.cleaned_data["confirm"]:
        return _answer(
            request,
            pk,
            status=200,
            code="",
            message="",
            confirm=form.cleaned_data["choice"],
            confirm_owner=form.cleaned_data["owner"],
        )
    return _run(
        request,
        pk,
        "cast",
        form,
        lambda: actions.cast_ballot(
            actor=request.user,
            vote=v,
            choice=form.cleaned_data["choice"],
            owner_key=form.cleaned_data["owner"],
        ),
        _("Your ballot is in. Thank you for voting."),
        NOT_ELECTOR_MESSAGE,
    )


@login_required
@require_POST
def enter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Staff enter a paper ballot with its scan, or a proxy's with the written authorisation."""
    v = visible_vote(request.user, pk)
    if not organises(request.user, v):
        return _denied(request, pk)
    lines = roll(v, with_ballots=True)
    owners, signers = _entry_choices(lines)
    origin = "proxy" if request.POST.get("origin") == "proxy" else "paper"
    form = EnterBallotForm(
        request.POST,
        request.FILES,
        owners=owners,
        signers=signers,
        auto_id="proxy-%s" if origin == "proxy" else "id_%s",
    )

    def run() -> Any:
        data = form.cleaned_data
        line = next(line for line in lines if line.owner_key == data["owner"])
        person_id = data.get("signer")
        if not person_id and len(line.owners) == 1:
            person_id = line.owners[0][0]  # the unit's one registered owner signed
        return actions.enter_ballot(
            actor=request.user,
            vote=v,
            owner_key=data["owner"],
            choice=data["choice"],
            origin=data["origin"],
            person=Person.objects.filter(pk=person_id).first() if person_id else None,
            owner_name=data.get("owner_name") or "",
            proxy_name=data.get("proxy_name") or "",
            paper=data.get("paper"),
            authorisation=data.get("authorisation"),
        )

    done = (
        _("The proxy's ballot is entered.")
        if origin == "proxy"
        else _("The paper ballot is entered.")
    )
    return _run(request, pk, origin, form, run, done)


@login_required
@require_POST
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    v = visible_vote(request.user, pk)
    if not organises(request.user, v):
        return _denied(request, pk)
    form = VersionForm(request.POST)
    return _run(
        request,
        pk,
        "close",
        form,
        lambda: actions.close_vote(
            actor=request.user, vote=v, expected_version=form.cleaned_data.get("version")
        ),
        _("The ballots are counted; the result is published."),
    )


@login_required
@require_POST
def recount(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    v = visible_vote(request.user, pk)
    if not organises(request.user, v):
        return _denied(request, pk)
    lines = roll(v)
    if request.POST.get("kind") == "add":
        return _recount_add(request, v, lines)
    ballots = [(line.ballot.pk, line.label) for line in lines if line.ballot is not None]
    form = RecountForm(request.POST, ballots=ballots)

    def run() -> Any:
        data = form.cleaned_data
        fix: actions.Correction = (
            actions.VoidBallot(ballot=data["ballot"])
            if data["correction"] == VOID
            else actions.ChangeChoice(ballot=data["ballot"], choice=data["correction"])
        )
        return actions.recount_vote(
            actor=request.user,
            vote=v,
            corrections=[fix],
            reason=data["reason"],
            expected_version=data.get("version"),
        )

    return _run(request, pk, "recount", form, run, _("Recounted; the result is updated."))


def _recount_add(request: AuthenticatedRequest, v: Vote, lines: list[Any]) -> HttpResponse:
    owners, signers = _entry_choices(lines)
    form = RecountAddForm(
        request.POST, request.FILES, owners=owners, signers=signers, auto_id="add-%s"
    )

    def run() -> Any:
        data = form.cleaned_data
        line = next(line for line in lines if line.owner_key == data["owner"])
        person_id = data.get("signer") or (line.owners[0][0] if len(line.owners) == 1 else None)
        add = actions.AddBallot(
            owner_key=data["owner"],
            choice=data["choice"],
            origin=data["origin"],
            received_at=data["received_at"],
            person=Person.objects.filter(pk=person_id).first() if person_id else None,
            owner_name=data.get("owner_name") or "",
            proxy_name=data.get("proxy_name") or "",
            paper=data.get("paper"),
            authorisation=data.get("authorisation"),
        )
        return actions.recount_vote(
            actor=request.user,
            vote=v,
            corrections=[add],
            reason=data["reason"],
            expected_version=data.get("version"),
        )

    return _run(request, v.pk, "recount_add", form, run, _("Recounted; the result is updated."))


@login_required
@require_POST
def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    v = visible_vote(request.user, pk)
    if not organises(request.user, v):
        return _denied(request, pk)
    form = CancelForm(request.POST)
    return _run(
        request,
        pk,
        "cancel",
        form,
        lambda: actions.cancel_vote(
            actor=request.user,
            vote=v,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        ),
        _("The vote is called off; its owners are told."),
    )


def vote_places(user: Any) -> list[Place]:
    """Where the user may call a vote: the estates, buildings and stairwells under their
    organiser posts."""
    roots = organiser_roots(user)
    if not roots:
        return []
    q = Q()
    for root in roots:
        q |= subtree_q(root)
    return list(
        Place.objects.filter(q, kind__in=VOTE_PLACE_KINDS)
        .only("pk", "name", "path", "kind")
        .order_by("path")
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedRequest) -> HttpResponse:
    """Call a vote (organisers): the notice is published now and the electorate fixed."""
    places = vote_places(request.user)
    if not places:
        raise Http404  # no organiser post: the page is not there for them
    choices = [(p.pk, p.name) for p in places]
    form = CallVoteForm(request.POST or None, places=choices)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                v = actions.call_vote(
                    actor=request.user,
                    place=next(p for p in places if p.pk == data["place"]),
                    matter=data["matter"],
                    title=data["title"],
                    description=data["description"],
                    opens_at=data["opens_at"],
                    closes_at=data["closes_at"],
                )
            except PermissionDenied:
                error, status = str(DENIED_MESSAGE), 403
            except ValidationError as exc:
                error, status = " ".join(exc.messages), 422
                form.add_error(None, exc)
            else:
                messages.success(request, _("The vote is called; its owners are told."))
                return redirect(v.get_absolute_url())
        else:
            error, status = str(INVALID_MESSAGE), 422
    return render(
        request, "deliberation/votes/new.html", {"form": form, "error": error}, status=status
    )
