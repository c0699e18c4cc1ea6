"""The audit trail's pages, for the auditor only (三员分立; everyone else gets a 404 like a page
that does not exist): the entries newest first with filters, and their Excel export, itself
recorded in the trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from shuren.access.context import scope_of
from shuren.accounts.http import AuthenticatedRequest
from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.audit.export import describe, write_trail
from shuren.audit.forms import AuditFilter, PageForm

PER_PAGE = 50


def target_types() -> dict[str, str]:
    # What an entry is about, in the reader's words; another type shows as stored.
    return {
        "accounts.user": pgettext("audit object", "Account"),
        "people.post": pgettext("audit object", "Post"),
        "person": pgettext("audit object", "Person"),
        "case": pgettext("audit object", "Matter"),
        "path": pgettext("audit object", "Page"),
        "places.place": pgettext("audit object", "Place"),
        "audit": pgettext("audit object", "Audit trail"),
    }


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _auditor_only(request: AuthenticatedRequest) -> None:
    if not scope_of(request.user).reads_audit:
        raise Http404


@login_required
@require_GET
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    _auditor_only(request)
    form = AuditFilter(request.GET or None)
    paging = PageForm(request.GET)
    entries = form.entries()
    if paging.is_valid() and (before := paging.cleaned_data["before"]):
        entries = entries.filter(seq__lt=before)
    # Keyset paging on the number: page 10,000 costs what page 1 costs (no COUNT, no OFFSET).
    rows = list(entries[: PER_PAGE + 1])
    types = target_types()
    more, rows = len(rows) > PER_PAGE, rows[:PER_PAGE]
    context: dict[str, Any] = {
        "form": form,
        "entries": [
            (entry, types.get(entry.target_type, entry.target_type), describe(entry.detail))
            for entry in rows
        ],
        "older": rows[-1].seq if more else None,
        "applied": form.applied(),
        "paged": bool(paging.is_valid() and paging.cleaned_data["before"]),
    }
    return render(
        request,
        "audit/log.html",
        context,
        status=200 if form.is_valid() or not form.is_bound else 400,
    )


@login_required
@require_POST
def export(request: AuthenticatedRequest) -> HttpResponse:
    _auditor_only(request)
    form = AuditFilter(request.POST)
    if not form.is_valid():
        context = {"form": form, "entries": [], "older": None, "applied": {}, "paged": False}
        return render(request, "audit/log.html", context, status=400)
    content, written, more = write_trail(form.entries())
    record(
        Kind.EXPORT,
        request=request,
        target=("audit", "", "audit trail"),
        detail={"file": "audit", "rows": written, "cut_short": more, "filters": form.applied()},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="shuren-audit-{stamp}.xlsx"'
    return response
