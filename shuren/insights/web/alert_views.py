"""The alert pages: the reader's alerts (filtered, paginated, red first), one alert with its
reason and the matters behind it, and acknowledging and closing it. Out of the reader's
answering (alert_choices.LEVEL_ROLES) an alert is a 404, exactly like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shuren.accounts.http import AuthenticatedRequest
from shuren.cases.models import Case
from shuren.insights.alert_actions import acknowledge_alert, close_alert
from shuren.insights.alert_rows import rows_for
from shuren.insights.models.alerts import Alert
from shuren.insights.rules import available_alert_actions
from shuren.insights.web.alert_forms import EVERY, AcknowledgeForm, AlertFilters, CloseForm
from shuren.kernel.models import Event
from shuren.kernel.versions import StaleVersion

PER_PAGE = 20


@login_required
@require_GET
def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = AlertFilters(request.GET)
    alerts = Alert.objects.visible_to(user).select_related("place", "category")
    level = status = ""
    if form.is_valid():
        level, status = form.cleaned_data["level"], form.cleaned_data["status"]
    if level:
        alerts = alerts.filter(level=level)
    if not status:
        alerts = alerts.not_closed()
    elif status != EVERY:
        alerts = alerts.filter(status=status)
    page = Paginator(alerts.red_first(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "insights/alerts/list.html",
        {"form": form, "page": page, "rows": rows_for(user, list(page.object_list))},
    )


def _visible_alert(user: Any, pk: int) -> Alert:
    return get_object_or_404(
        Alert.objects.visible_to(user).select_related(
            "place", "category", "acknowledged_by__person", "closed_by__person"
        ),
        pk=pk,
    )


def _page(
    request: AuthenticatedRequest,
    alert: Alert,
    *,
    status: int = 200,
    acknowledge: AcknowledgeForm | None = None,
    close: CloseForm | None = None,
    error: str = "",
) -> HttpResponse:
    user = request.user
    version = {"version": alert.version}
    cases = (
        Case.objects.visible_to(user)
        .filter(pk__in=alert.case_ids)
        .only("pk", "number", "title", "status", "reported_at")
        .order_by("reported_at", "pk")
    )
    events = (
        Event.objects.filter(subject_type=Alert._meta.label_lower, subject_id=alert.pk)
        .select_related("actor__person")
        .order_by("at", "pk")
    )
    return render(
        request,
        "insights/alerts/detail.html",
        {
            "row": rows_for(user, [alert])[0],
            "alert": alert,
            "cases": list(cases),
            "hidden_cases": len(alert.case_ids) - len(cases),
            "events": list(events),
            "actions": available_alert_actions(user, alert),
            "acknowledge_form": acknowledge or AcknowledgeForm(initial=version),
            "close_form": close or CloseForm(initial=version),
            "error": error,
        },
        status=status,
    )


@login_required
@require_GET
def alert_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _page(request, _visible_alert(request.user, pk))


def _refused(request: AuthenticatedRequest, pk: int, exc: Exception, **forms: Any) -> HttpResponse:
    """Show the page again, as it is now, with why nothing was saved."""
    alert = _visible_alert(request.user, pk)
    if isinstance(exc, StaleVersion):
        message = _(
            "Someone else changed this alert while you had the page open, so nothing was saved. "
            "The page below shows it as it is now; check it, then try again."
        )
        return _page(request, alert, status=409, error=message)
    if isinstance(exc, ValidationError):  # not possible in its state (closed already)
        return _page(request, alert, status=409, error=" ".join(exc.messages), **forms)
    return _page(request, alert, status=403, error=str(exc))


@login_required
@require_POST
def alert_acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alert = _visible_alert(request.user, pk)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return _page(request, alert, status=422, acknowledge=form, error=_("Nothing was saved."))
    try:
        acknowledge_alert(
            actor=request.user, alert=alert, expected_version=form.cleaned_data["version"]
        )
    except (StaleVersion, PermissionDenied, ValidationError) as exc:
        return _refused(request, pk, exc)
    messages.success(request, _("You acknowledged this alert."))
    return redirect(alert)


@login_required
@require_POST
def alert_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alert = _visible_alert(request.user, pk)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _page(request, alert, status=422, close=form, error=_("Nothing was saved."))
    try:
        close_alert(
            actor=request.user,
            alert=alert,
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["version"],
        )
    except (StaleVersion, PermissionDenied, ValidationError) as exc:
        return _refused(request, pk, exc, close=form)
    messages.success(request, _("You closed this alert."))
    return redirect(alert)
