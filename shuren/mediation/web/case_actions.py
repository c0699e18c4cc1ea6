"""The mediation case page's actions: each POST view finds the case in the user's sight,
validates its form and calls one action.

Answers: 302 back to the page when the action succeeded; 403 when the user may not take it;
409 when the case changed since the page was rendered (stale version) or the action does not
fit its state; 422 when the form is incomplete or the law refuses it (the message names why).
Each error answer shows the page again with the message in words. Out of scope is a 404,
exactly like a missing id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.accounts.http import AuthenticatedRequest
from shuren.kernel.action_answer import Refusals, attempt
from shuren.mediation import actions
from shuren.mediation.models import Mediation, Party
from shuren.mediation.progress import MediationTransitionError
from shuren.mediation.registration import PartyInput
from shuren.mediation.web.action_forms import ACTIONS
from shuren.mediation.web.case_page import case_context, make_form, visible_mediation
from shuren.mediation.web.forms import RevealForm
from shuren.people.models import Person

STALE_MESSAGE = gettext_lazy(
    "Someone else changed this mediation case while you had the page open, so nothing was "
    "saved. The page below shows the case as it is now; check it, then try again."
)
DENIED_MESSAGE = gettext_lazy("Only the mediators of this organisation act on its cases.")
REFUSALS = Refusals(
    stale=STALE_MESSAGE,
    denied=DENIED_MESSAGE,
    conflicts={MediationTransitionError: "illegal_transition"},
)


def _parties(m: Mediation) -> list[Party]:
    return list(Party.objects.filter(mediation=m).order_by("pk"))


def _answer(
    request: AuthenticatedRequest,
    pk: int,
    *,
    status: int,
    code: str,
    message: str,
    bound: Any = None,
) -> HttpResponse:
    m = visible_mediation(request.user, pk)  # afresh: it may have changed
    if bound is not None and code == "stale_version":
        # What they typed is kept, now against the version they can see.
        data = {k: v for k, v in bound.data.items() if k not in ("version", "csrfmiddlewaretoken")}
        bound = make_form(bound.action, m, _parties(m), initial=data)
    context = case_context(request, m, bound=bound, error=message, error_code=code)
    return render(request, "mediation/detail.html", context, status=status)


def _act(
    request: AuthenticatedRequest,
    pk: int,
    key: str,
    run: Callable[[Mediation, dict[str, Any]], Any],
) -> HttpResponse:
    """Find, validate, call the one action, answer."""
    user = request.user
    m = visible_mediation(user, pk)
    form = make_form(key, m, _parties(m), data=request.POST, files=request.FILES)

    def refuse(status: int, code: str, message: str, bound: Any) -> HttpResponse:
        return _answer(request, pk, status=status, code=code, message=message, bound=bound)

    def act() -> Any:
        return run(m, {**form.cleaned_data, "expected_version": form.cleaned_data["version"]})

    outcome = attempt(form, act, refuse=refuse, refusals=REFUSALS)
    if isinstance(outcome, HttpResponse):
        return outcome
    messages.success(request, str(ACTIONS[key].done))
    return redirect(m.get_absolute_url())


def _person(pk: int | None) -> Person | None:
    return Person.objects.filter(pk=pk).first() if pk else None


def _view(key: str, run: Callable[[AuthenticatedRequest, Mediation, dict[str, Any]], Any]) -> Any:
    """The POST view of one action."""

    @login_required
    @require_POST
    def view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
        return _act(request, pk, key, lambda m, data: run(request, m, data))

    view.__name__ = view.__qualname__ = key
    view.__doc__ = f"POST the case's {key} action."
    return view


add_party = _view(
    "add_party",
    lambda r, m, d: actions.add_party(
        actor=r.user,
        mediation=m,
        party=PartyInput(
            role=d["role"],
            name=d["name"],
            gender=d["gender"],
            id_number=d["id_number"].upper(),
            phone=d["phone"],
            address=d["address"],
        ),
        expected_version=d["expected_version"],
    ),
)
consent = _view(
    "consent",
    lambda r, m, d: actions.record_consent(
        actor=r.user,
        mediation=m,
        party=d["party"],
        consent=d["consent"],
        asked_for=_person(d.get("asked_for")),
        refused=_person(d.get("refused")),
        expected_version=d["expected_version"],
    ),
)
choose_mediators = _view(
    "choose_mediators",
    lambda r, m, d: actions.choose_mediators(
        actor=r.user,
        mediation=m,
        mediators=list(Person.objects.filter(pk__in=d["mediators"]).order_by("pk")),
        expected_version=d["expected_version"],
    ),
)
hold_session = _view(
    "hold_session",
    lambda r, m, d: actions.hold_session(
        actor=r.user,
        mediation=m,
        held_at=d["held_at"],
        venue=d["venue"],
        parties=d["parties"],
        record=d["record"],
        others_present=d["others_present"],
        expected_version=d["expected_version"],
    ),
)
extend = _view(
    "extend",
    lambda r, m, d: actions.extend_time_limit(
        actor=r.user,
        mediation=m,
        days=d["days"],
        parties_consented=d["parties_consented"],
        reason=d["reason"],
        expected_version=d["expected_version"],
    ),
)
issue_agreement = _view(
    "issue_agreement",
    lambda r, m, d: actions.issue_agreement(
        actor=r.user,
        mediation=m,
        form=d["form"],
        facts=d["facts"],
        points_in_dispute=d["points_in_dispute"],
        responsibilities=d["responsibilities"],
        agreed_content=d["agreed_content"],
        performance_manner=d["performance_manner"],
        performance_place=d["performance_place"],
        performance_deadline=d["performance_deadline"],
        expected_version=d["expected_version"],
    ),
)
close = _view(
    "close",
    lambda r, m, d: actions.close_mediation(
        actor=r.user,
        mediation=m,
        outcome=d["outcome"],
        note=d["note"],
        routes_told=d["routes_told"],
        expected_version=d["expected_version"],
    ),
)
record_confirmation = _view(
    "record_confirmation",
    lambda r, m, d: actions.record_confirmation(
        actor=r.user,
        mediation=m,
        confirmation=d["confirmation"],
        note=d["note"],
        expected_version=d["expected_version"],
    ),
)
follow_up = _view(
    "follow_up",
    lambda r, m, d: actions.follow_up(
        actor=r.user,
        mediation=m,
        performance=d["performance"],
        satisfaction=d["satisfaction"],
        recurred=d["recurred"],
        measures=d["measures"],
        visited_on=d["visited_on"],
        expected_version=d["expected_version"],
    ),
)
mark_risk = _view(
    "mark_risk",
    lambda r, m, d: actions.mark_risk(
        actor=r.user,
        mediation=m,
        note=d["note"],
        police_informed=d["police_informed"],
        expected_version=d["expected_version"],
    ),
)
add_document = _view(
    "add_document",
    lambda r, m, d: actions.add_document(
        actor=r.user,
        mediation=m,
        kind=d["kind"],
        title=d["title"],
        file=d["file"],
        note=d["note"],
        expected_version=d["expected_version"],
    ),
)
record_prevention = _view(
    "record_prevention",
    lambda r, m, d: actions.record_prevention(
        actor=r.user,
        mediation=m,
        criminal_persons=d["criminal_persons"],
        petition_persons=d["petition_persons"],
        expected_version=d["expected_version"],
    ),
)
archive = _view(
    "archive",
    lambda r, m, d: actions.archive_mediation(
        actor=r.user, mediation=m, expected_version=d["expected_version"]
    ),
)


@login_required
@require_POST
def reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One party's unmasked identity field, for a stated reason (written to the access log)."""
    user = request.user
    m = visible_mediation(user, pk)
    form = RevealForm(request.POST)
    status, error, revealed = 200, "", {}
    party = None
    if form.is_valid():
        party = Party.objects.filter(mediation=m, pk=form.cleaned_data["party"]).first()
    if not form.is_valid():
        status, error = 422, _("Please say why you need to see it.")
    elif party is None:
        status, error = 422, _("That party is not in this case.")
    else:
        field = form.cleaned_data["field"]
        try:
            value = actions.reveal_party(
                user=user,
                party=party,
                field=field,
                reason=form.cleaned_data["reason"],
                ip_address=request.META.get("REMOTE_ADDR"),
            )
            revealed = {(party.pk, field): value}
        except PermissionDenied:
            status, error = 403, str(DENIED_MESSAGE)
    context = case_context(
        request,
        m,
        error=error,
        error_code="reveal" if error else "",
        revealed=revealed,
        reveal_form=form if error else None,
    )
    response = render(request, "mediation/detail.html", context, status=status)
    # A revealed number must not linger in caches or the back-forward history.
    response["Cache-Control"] = "no-store"
    return response
