"""The case page's actions: each POST view authorizes, validates and calls one action.

Answers: 302 back to the page when the action succeeded; 403 when the user may not take it;
409 when the case changed since the page was rendered (stale version) or the action does not
fit its state; 422 when the form is incomplete. Each error answer shows the page again with
the message in words. Out of scope is a 404, exactly like a missing case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.access.context import scope_of
from shuren.accounts.http import AuthenticatedRequest
from shuren.cases import actions
from shuren.cases.models import Case
from shuren.cases.rules import permission
from shuren.cases.web import case_forms as forms_case
from shuren.cases.web.case_forms import ACTIONS
from shuren.cases.web.case_page import _make_form, _visible_case, case_context
from shuren.cases.workflow.transitions import CaseTransitionError
from shuren.kernel.action_answer import Refusals, attempt
from shuren.people.models import Person, Team


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _answer_error(
    request: AuthenticatedRequest,
    pk: int,
    *,
    status: int,
    code: str,
    message: str,
    bound: forms_case.ActionForm | None = None,
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"code": code, "message": message}, status=status)
    case = _visible_case(request.user, pk)  # afresh: it may have changed
    if bound is not None and code == "stale_version":
        # What they typed is kept, now against the version they can see.
        data = {k: v for k, v in bound.data.items() if k not in ("version", "csrfmiddlewaretoken")}
        bound = _make_form(bound.action, request.user, case, initial=data)
    context = case_context(request, case, bound=bound, error=message)
    context["error_code"] = code
    return render(request, "cases/case/detail.html", context, status=status)


STALE_MESSAGE = gettext_lazy(
    "Someone else changed this case while you had the page open, so nothing was saved. "
    "The page below shows the case as it is now; check it, then try again."
)
DENIED_MESSAGE = gettext_lazy("You may not do this to this case.")
REFUSALS = Refusals(
    stale=STALE_MESSAGE,
    denied=DENIED_MESSAGE,
    conflicts={CaseTransitionError: "illegal_transition"},
)


def _act(
    request: AuthenticatedRequest,
    pk: int,
    key: str,
    run: Callable[[Case, dict[str, Any]], Case],
) -> HttpResponse:
    """Authorize, validate, call the one action, answer."""
    user = request.user
    spec = ACTIONS[key]
    case = get_object_or_404(
        Case.objects.visible_to(user).select_related("place", "category"), pk=pk
    )
    if not user.has_perm(permission(key), case):
        return _answer_error(
            request,
            pk,
            status=403,
            code="permission_denied",
            message=str(DENIED_MESSAGE),
        )
    form = _make_form(key, user, case, data=request.POST, files=request.FILES)

    def refuse(status: int, code: str, message: str, bound: Any) -> HttpResponse:
        return _answer_error(request, pk, status=status, code=code, message=message, bound=bound)

    outcome = attempt(form, lambda: run(case, form.cleaned_data), refuse=refuse, refusals=REFUSALS)
    if isinstance(outcome, HttpResponse):
        return outcome
    case = outcome.result
    if _wants_json(request):
        return JsonResponse(
            {"id": case.pk, "number": case.number, "status": case.status, "version": case.version}
        )
    messages.success(request, str(spec.done))
    url = case.get_absolute_url()
    if not user.has_perm("cases.view_case", case):
        # The step took the matter out of the user's sight (a company handing it back).
        url = reverse("cases:inbox")
    if getattr(request, "htmx", False):
        return HttpResponse(status=200, headers={"HX-Redirect": url})
    return redirect(url)


def _version(data: dict[str, Any]) -> int:
    return int(data["version"])


def _photos(data: dict[str, Any]) -> list[Any]:
    """The checked photos (intake/photos.py) as files for the action."""
    return [photo.as_file() for photo in data.get("photos") or []]


@login_required
@require_POST
def accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "accept",
        lambda case, data: actions.accept_case(
            actor=request.user, case=case, note=data["note"], expected_version=_version(data)
        ),
    )


@login_required
@require_POST
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def run(case: Case, data: dict[str, Any]) -> Case:
        return actions.assign_case(
            actor=request.user,
            case=case,
            person=Person.objects.get(pk=data["person"]) if data.get("person") else None,
            team=Team.objects.get(pk=data["team"]) if data.get("team") else None,
            note=data["note"],
            expected_version=_version(data),
        )

    return _act(request, pk, "assign", run)


@login_required
@require_POST
def add_note(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "note",
        lambda case, data: actions.add_note(
            actor=request.user,
            case=case,
            note=data["note"],
            photos=_photos(data),
            expected_version=_version(data),
        ),
    )


@login_required
@require_POST
def escalate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "escalate",
        lambda case, data: actions.escalate_case(
            actor=request.user,
            case=case,
            reason=data["reason"],
            to_tier=data.get("to_tier") or None,
            referred_to=data.get("referred_to", ""),
            expected_version=_version(data),
        ),
    )


@login_required
@require_POST
def return_case(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "return",
        lambda case, data: actions.return_case(
            actor=request.user, case=case, reason=data["reason"], expected_version=_version(data)
        ),
    )


@login_required
@require_POST
def resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "resolve",
        lambda case, data: actions.resolve_case(
            actor=request.user,
            case=case,
            method=data["method"],
            summary=data["summary"],
            photos=_photos(data),
            expected_version=_version(data),
        ),
    )


@login_required
@require_POST
def follow_up(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "follow_up",
        lambda case, data: actions.follow_up_case(
            actor=request.user,
            case=case,
            satisfied=data["satisfied"],
            note=data["note"],
            expected_version=_version(data),
        ),
    )


@login_required
@require_POST
def rate_on_behalf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "rate_on_behalf",
        lambda case, data: actions.rate_on_behalf(
            actor=request.user,
            case=case,
            satisfied=data["satisfied"],
            via=data["via"],
            note=data["note"],
            expected_version=_version(data),
        ),
    )


@login_required
@require_POST
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "close",
        lambda case, data: actions.close_case(
            actor=request.user, case=case, note=data["note"], expected_version=_version(data)
        ),
    )


@login_required
@require_POST
def merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    def run(case: Case, data: dict[str, Any]) -> Case:
        into = Case.objects.visible_to(request.user).filter(number=data["into"]).first()
        if into is None:
            raise ValidationError(
                {"into": _("There is no case with this number that you can see.")},
                code="no_such_case",
            )
        return actions.merge_case(
            actor=request.user,
            case=case,
            into=into,
            reason=data["reason"],
            expected_version=_version(data),
        )

    return _act(request, pk, "merge", run)


@login_required
@require_POST
def reject(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "reject",
        lambda case, data: actions.reject_case(
            actor=request.user, case=case, reason=data["reason"], expected_version=_version(data)
        ),
    )


@login_required
@require_POST
def reveal_phone(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The anonymous contact's full phone, once, for a stated reason (written to the access log)."""
    user = request.user
    case = _visible_case(user, pk)
    status = 200
    revealed: str | None = None
    error = ""
    form = forms_case.RevealPhoneForm(request.POST)
    if not scope_of(user).may_unmask_path(case.place_path):
        status = 403
        error = _("Your role may not see full personal information. Nothing was shown.")
    elif not case.contact_phone:
        status, error = 422, _("No contact phone is recorded for this case.")
    elif not form.is_valid():
        status, error = 422, _("Please say why you need to see it.")
    else:
        try:
            revealed = actions.reveal_contact_phone(
                user=request.user,
                case=case,
                reason=form.cleaned_data["reason"],
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except PermissionDenied:
            status = 403
            error = _("Your role may not see full personal information. Nothing was shown.")
        except ValidationError as exc:
            status, error = 422, " ".join(exc.messages)
    context = case_context(request, case, error=error, revealed_phone=revealed, reveal_form=form)
    response = render(request, "cases/case/detail.html", context, status=status)
    # A revealed number must not linger in caches or the back-forward history.
    response["Cache-Control"] = "no-store"
    return response
