"""The meeting page's actions: each POST view finds the meeting in the user's sight, validates
its form and calls one action.

Answers: 302 back to the page when the action succeeded; 403 when the user may not take it;
409 when the meeting or item changed since the page was rendered; 422 when the form is
incomplete or the meeting's rules refuse it (the message says why). Each error answer shows
the page again with the message in words. Out of scope is a 404, exactly like a missing id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.accounts.http import AuthenticatedRequest
from shuren.cases.models import Case
from shuren.deliberation import actions
from shuren.deliberation.meetings.invitations import people_by_id
from shuren.deliberation.meetings.models import AgendaItem, Decision, Meeting
from shuren.deliberation.web.meeting_forms import ACTIONS, CASE_NUMBERS
from shuren.deliberation.web.meeting_page import make_form, meeting_context, visible_meeting
from shuren.kernel.action_answer import Refusals, attempt
from shuren.people.models import Team

STALE_MESSAGE = gettext_lazy(
    "Someone else changed this while you had the page open, so nothing was saved. The page "
    "below shows the meeting as it is now; check it, then try again."
)
DENIED_MESSAGE = gettext_lazy("You may not do this at this meeting.")
REFUSALS = Refusals(stale=STALE_MESSAGE, denied=DENIED_MESSAGE)


def _answer(
    request: AuthenticatedRequest,
    pk: int,
    *,
    status: int,
    code: str,
    message: str,
    bound: Any = None,
    decision: int | None = None,
) -> HttpResponse:
    m = visible_meeting(request.user, pk)  # afresh: it may have changed
    if bound is not None and code == "stale_version":
        # What they typed is kept, now against the version they can see.
        data = {k: v for k, v in bound.data.items() if k not in ("version", "csrfmiddlewaretoken")}
        d = Decision.objects.filter(meeting=m, pk=decision).first() if decision else None
        key = bound.action.split("-")[0]
        bound = make_form(key, m, initial=data, decision=d, user=request.user)
    context = meeting_context(
        request, m, bound=bound, bound_decision=decision, error=message, error_code=code
    )
    return render(request, "deliberation/meetings/detail.html", context, status=status)


def _decision_of(m: Meeting, data: Any) -> Decision:
    try:
        pk = int(data.get("decision") or 0)
    except (TypeError, ValueError):
        pk = 0
    d = Decision.objects.filter(meeting=m, pk=pk).select_related("meeting").first()
    if d is None:
        raise Http404
    return d


def _act(
    request: AuthenticatedRequest,
    pk: int,
    key: str,
    run: Callable[[Meeting, Decision | None, dict[str, Any]], Any],
) -> HttpResponse:
    """Find, validate, call the one action, answer."""
    user = request.user
    m = visible_meeting(user, pk)
    d = _decision_of(m, request.POST) if key in ("complete_decision", "cancel_decision") else None
    form = make_form(key, m, data=request.POST, decision=d, user=user)
    decision = d.pk if d is not None else None

    def refuse(status: int, code: str, message: str, bound: Any) -> HttpResponse:
        return _answer(
            request, pk, status=status, code=code, message=message, bound=bound, decision=decision
        )

    def act() -> Any:
        return run(m, d, {**form.cleaned_data, "expected_version": form.cleaned_data["version"]})

    outcome = attempt(form, act, refuse=refuse, refusals=REFUSALS)
    if isinstance(outcome, HttpResponse):
        return outcome
    messages.success(request, str(ACTIONS[key].done))
    return redirect(m.get_absolute_url())


def _view(
    key: str, run: Callable[[AuthenticatedRequest, Meeting, Any, dict[str, Any]], Any]
) -> Any:
    """The POST view of one action."""

    @login_required
    @require_POST
    def view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
        return _act(request, pk, key, lambda m, d, data: run(request, m, d, data))

    view.__name__ = view.__qualname__ = key
    view.__doc__ = f"POST the meeting's {key} action."
    return view


def _cases(request: AuthenticatedRequest, numbers: list[str]) -> list[Case]:
    """The matters named by number, among those the user sees; an unknown one is named."""
    found = {c.number: c for c in Case.objects.visible_to(request.user).filter(number__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise ValidationError(
            _("No matter of yours has the number %(numbers)s.") % {"numbers": "、".join(missing)},
            code="cases",
        )
    return [found[n] for n in dict.fromkeys(numbers)]


def _owner(token: str) -> tuple[Any, Any]:
    """The owner chosen on the form: "p<person id>" or "t<team id>" (among its choices)."""
    kind, raw = token[:1], token[1:]
    pk = int(raw) if raw.isdigit() else 0
    if kind == "p":
        return _person(pk), None
    return None, Team.objects.filter(pk=pk).first()


def _person(pk: int) -> Any:
    people = people_by_id([pk])
    if not people:
        raise ValidationError(_("Choose who."), code="person")
    return people[0]


def _decide(r: AuthenticatedRequest, m: Meeting, d: Any, data: dict[str, Any]) -> Any:
    person, team = _owner(data["owner"])
    item = AgendaItem.objects.filter(meeting=m, pk=data["agenda_item"]).first()
    settles = (
        Case.objects.visible_to(r.user).filter(pk=data["settles"]).first()
        if data["settles"]
        else None
    )
    return actions.record_decision(
        actor=r.user,
        meeting=m,
        text=data["text"],
        due_on=data["due_on"],
        owner_person=person,
        owner_team=team,
        agenda_item=item,
        settles=settles,
    )


mark_attendance = _view(
    "mark_attendance",
    lambda r, m, d, data: actions.mark_attendance(
        actor=r.user, meeting=m, person=_person(data["person"])
    ),
)
add_agenda_item = _view(
    "add_agenda_item",
    lambda r, m, d, data: actions.add_agenda_item(
        actor=r.user,
        meeting=m,
        title=data["title"],
        notes=data["notes"],
        cases=_cases(r, [n for n in CASE_NUMBERS.split(data["cases"]) if n]),
    ),
)
draft_minutes = _view(
    "draft_minutes",
    lambda r, m, d, data: actions.draft_minutes(
        actor=r.user, meeting=m, text=data["text"], expected_version=data["expected_version"]
    ),
)
approve_minutes = _view(
    "approve_minutes",
    lambda r, m, d, data: actions.approve_minutes(
        actor=r.user, meeting=m, revision=data["revision"]
    ),
)
record_decision = _view("record_decision", _decide)
cancel_meeting = _view(
    "cancel_meeting",
    lambda r, m, d, data: actions.cancel_meeting(
        actor=r.user, meeting=m, reason=data["reason"], expected_version=data["expected_version"]
    ),
)
complete_decision = _view(
    "complete_decision",
    lambda r, m, d, data: actions.complete_decision(
        actor=r.user, decision=d, note=data["note"], expected_version=data["expected_version"]
    ),
)
cancel_decision = _view(
    "cancel_decision",
    lambda r, m, d, data: actions.cancel_decision(
        actor=r.user, decision=d, reason=data["reason"], expected_version=data["expected_version"]
    ),
)
