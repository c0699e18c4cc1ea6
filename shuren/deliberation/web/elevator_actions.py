"""The elevator project page's actions: each POST view finds the project in the user's sight,
validates its form and calls one action.

Answers: 302 back to the page when the action succeeded; 403 when the user may not take it;
409 when the project changed since the page was rendered; 422 when the form is incomplete or
the rules refuse the step (the message names why). Each error answer shows the page again with
the message in words. Out of scope is a 404, exactly like a missing id."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.accounts.http import AuthenticatedRequest
from shuren.deliberation import actions
from shuren.deliberation.elevators.models import ElevatorProject, Objection
from shuren.deliberation.web.elevator_forms import ACTIONS
from shuren.deliberation.web.elevator_page import make_form, project_context, visible_project
from shuren.kernel.action_answer import Refusals, attempt
from shuren.people.models import Person
from shuren.places.models import Household
from shuren.workdays.calendar import SHANGHAI

STALE_MESSAGE = gettext_lazy(
    "Someone else changed this project while you had the page open, so nothing was saved. The "
    "page below shows it as it is now; check it, then try again."
)
DENIED_MESSAGE = gettext_lazy("Only the staff running this project may do this.")
REFUSALS = Refusals(stale=STALE_MESSAGE, denied=DENIED_MESSAGE)


def _answer(
    request: AuthenticatedRequest,
    pk: int,
    *,
    status: int,
    code: str,
    message: str,
    bound: Any = None,
) -> HttpResponse:
    project = visible_project(request.user, pk)  # afresh: it may have changed
    if bound is not None and code == "stale_version":
        data = {k: v for k, v in bound.data.items() if k not in ("version", "csrfmiddlewaretoken")}
        bound = make_form(bound.action, request.user, project, initial=data)
    context = project_context(request, project, bound=bound, error=message, error_code=code)
    return render(request, "deliberation/elevators/project.html", context, status=status)


def _act(
    request: AuthenticatedRequest,
    pk: int,
    key: str,
    run: Callable[[ElevatorProject, dict[str, Any]], Any],
) -> HttpResponse:
    """Find, validate, call the one action, answer."""
    project = visible_project(request.user, pk)
    form = make_form(key, request.user, project, data=request.POST)

    def refuse(status: int, code: str, message: str, bound: Any) -> HttpResponse:
        return _answer(request, pk, status=status, code=code, message=message, bound=bound)

    def act() -> Any:
        data = form.cleaned_data
        return run(project, {**data, "expected_version": data["version"], "form": form})

    outcome = attempt(form, act, refuse=refuse, refusals=REFUSALS)
    if isinstance(outcome, HttpResponse):
        return outcome
    messages.success(request, str(ACTIONS[key].done))
    return redirect(project.get_absolute_url())


def _view(
    key: str, run: Callable[[AuthenticatedRequest, ElevatorProject, dict[str, Any]], Any]
) -> Any:
    @login_required
    @require_POST
    def view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
        return _act(request, pk, key, lambda p, d: run(request, p, d))

    view.__name__ = key
    view.__doc__ = f"POST: {key} on the project."
    return view


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=SHANGHAI)


def _signer(value: str) -> tuple[Household, Person | None]:
    household_id, _sep, person_id = value.partition("-")
    household = Household.objects.get(pk=int(household_id))
    person = Person.objects.filter(pk=int(person_id or 0)).first()
    return household, person


advance_project = _view(
    "advance_project",
    lambda r, p, d: actions.advance_project(
        actor=r.user, project=p, note=d["note"], expected_version=d["expected_version"]
    ),
)
record_survey = _view(
    "record_survey",
    lambda r, p, d: actions.record_survey(
        actor=r.user,
        project=p,
        asked=d["asked"],
        in_favour=d["in_favour"],
        note=d["note"],
        expected_version=d["expected_version"],
    ),
)
call_project_vote = _view(
    "call_project_vote",
    lambda r, p, d: actions.call_project_vote(
        actor=r.user,
        project=p,
        opens_at=_day_start(d["opens_on"]),
        closes_at=_day_start(d["closes_on"] + dt.timedelta(days=1)),
        expected_version=d["expected_version"],
    ),
)
name_affected_owner = _view(
    "name_affected_owner",
    lambda r, p, d: actions.name_affected_owner(
        actor=r.user,
        project=p,
        household=Household.objects.get(pk=d["household"]),
        how=d["how"],
        expected_version=d["expected_version"],
    ),
)


def _consent(r: AuthenticatedRequest, p: ElevatorProject, d: dict[str, Any]) -> Any:
    household, person = _signer(d["signer"])
    return actions.record_consent(
        actor=r.user,
        project=p,
        household=household,
        person=person,
        given=d["given"],
        note=d["note"],
        expected_version=d["expected_version"],
    )


record_consent = _view("record_consent", _consent)
agree_costs = _view(
    "agree_costs",
    lambda r, p, d: actions.agree_costs(
        actor=r.user,
        project=p,
        total=d["total"],
        weights=d["form"].weights(),
        expected_version=d["expected_version"],
    ),
)
file_objection = _view(
    "file_objection",
    lambda r, p, d: actions.file_objection(
        actor=r.user, project=p, text=d["text"], name=d.get("name", "")
    ),
)
settle_objection = _view(
    "settle_objection",
    lambda r, p, d: actions.settle_objection(
        actor=r.user,
        project=p,
        objection=Objection.objects.get(pk=d["objection"], project=p),
        note=d["note"],
        expected_version=d["expected_version"],
    ),
)
stop_project = _view(
    "stop_project",
    lambda r, p, d: actions.stop_project(
        actor=r.user, project=p, reason=d["reason"], expected_version=d["expected_version"]
    ),
)
