"""The desk's dispatch of several matters at once: validate, let the domain take each matter on
its own (cases/dispatch.py: one assign_case per matter), then back to the same list, filters and
order kept, saying what became of each matter.

Answers: 303 back to the list once the matters were taken in turn (done, already with the team,
changed meanwhile, refused with the reason, or not found, each said in words); 422 with the list
shown again, ticks kept, when nothing was ticked, no team chosen, or the team serves none of them.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from shuren.accounts.http import AuthenticatedRequest
from shuren.cases.dispatch import Outcome, Result, dispatch_each, offered_team
from shuren.cases.models import Case
from shuren.cases.web.case_forms import DispatchForm
from shuren.cases.web.inbox_views import render_inbox
from shuren.people.models import Team


@login_required
@require_POST
def dispatch(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    back = _back(request)
    params = QueryDict(urlsplit(back).query)
    form = DispatchForm(request.POST)
    if not form.is_valid():
        error = str(next(iter(form.errors.values()))[0])
        return render_inbox(
            request, params, status=422, dispatch_error=error, picked=form.picked_ids()
        )
    picks = form.cleaned_data["pick"]
    seen = list(
        Case.objects.visible_to(user)
        .filter(pk__in=[p.case_id for p in picks])
        .only("pk", "place_path")
    )
    team = offered_team(seen, form.cleaned_data["team"])
    if team is None:
        return render_inbox(
            request,
            params,
            status=422,
            dispatch_error=_("There is no such team for these matters."),
            picked=form.picked_ids(),
        )
    _tell(request, dispatch_each(actor=user, picks=picks, team=team), team)
    return HttpResponseRedirect(back, status=303)


def _back(request: AuthenticatedRequest) -> str:
    """The list the desk was showing (its filters and order), never anywhere else."""
    inbox = reverse("cases:inbox")
    wanted = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    parts = urlsplit(wanted)
    if safe and parts.path == inbox and not parts.netloc:
        return f"{inbox}?{parts.query}" if parts.query else inbox
    return inbox


def _tell(request: AuthenticatedRequest, results: list[Result], team: Team) -> None:
    """One message per outcome that several matters share, one per matter with its reason."""
    by_outcome: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_outcome[result.outcome].append(result)
    if done := by_outcome[Outcome.DONE]:
        messages.success(
            request,
            ngettext(
                "%(n)s matter dispatched to %(team)s: %(numbers)s. They have been told.",
                "%(n)s matters dispatched to %(team)s: %(numbers)s. They have been told.",
                len(done),
            )
            % {"n": len(done), "team": team.name, "numbers": _numbers(done)},
        )
    if already := by_outcome[Outcome.ALREADY]:
        messages.info(
            request,
            _("Already with %(team)s, so nothing was done again: %(numbers)s.")
            % {"team": team.name, "numbers": _numbers(already)},
        )
    for result in by_outcome[Outcome.STALE] + by_outcome[Outcome.REFUSED]:
        messages.warning(
            request,
            _("%(number)s was not dispatched: %(reason)s")
            % {"number": result.number, "reason": result.reason},
        )
    if missing := by_outcome[Outcome.NOT_FOUND]:
        messages.warning(
            request,
            ngettext(
                "%(n)s matter was not found, so nothing was done to it.",
                "%(n)s matters were not found, so nothing was done to them.",
                len(missing),
            )
            % {"n": len(missing)},
        )


def _numbers(results: list[Result]) -> str:
    return pgettext("between case numbers", ", ").join(result.number for result in results)
