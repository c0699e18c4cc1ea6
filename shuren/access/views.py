"""The access-log page: the auditor's list of unmasked reads; everyone else gets a 404."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from shuren.access.context import scope_of
from shuren.access.models import AccessLog
from shuren.accounts.http import AuthenticatedRequest
from shuren.text import InputsForm

PER_PAGE = 50


class AccessLogFilter(InputsForm):
    username = forms.CharField(label=_("Username"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    if not scope_of(request.user).reads_audit:
        raise Http404  # like a page that does not exist: others need not know it is here
    entries = AccessLog.objects.visible_to(request.user).order_by("-at", "-pk")
    form = AccessLogFilter(request.GET or None)
    if form.is_valid():
        if username := form.cleaned_data["username"].strip():
            entries = entries.filter(username__icontains=username)
        # Dates are days in Asia/Shanghai; the __date lookup converts from UTC.
        if date_from := form.cleaned_data["date_from"]:
            entries = entries.filter(at__date__gte=date_from)
        if date_to := form.cleaned_data["date_to"]:
            entries = entries.filter(at__date__lte=date_to)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "access/log.html", {"form": form, "page": page})
