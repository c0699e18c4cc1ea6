"""The register's pages: the form (a small register downloads at once, a large one is built in
the background), the list of one's own exports, and their download (the owner's only: anyone
else's is a 404 like a missing one; the file is read from its private folder, never from a
public URL). Only those who read a place's figures get here; anyone else gets a 404."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shuren.accounts.http import AuthenticatedRequest
from shuren.insights.models.exports import ExportFile
from shuren.insights.register.book import XLSX
from shuren.insights.register.export import build_register, count_matters
from shuren.insights.register.tasks import ask_for_register
from shuren.insights.rules import figure_roots
from shuren.insights.web.register_forms import RegisterForm

# Files listed on the page: a week's exports are a handful; older ones have expired.
LISTED = 50


def sync_limit() -> int:
    return int(getattr(settings, "SHUREN_REGISTER_SYNC_LIMIT", 2000))


def _require_figures(request: AuthenticatedRequest) -> None:
    if not figure_roots(request.user):
        raise Http404


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal information, even masked, stays out of shared caches.
    response["Cache-Control"] = "no-store"
    return response


def register_filename(start: Any, end: Any) -> str:
    return f"shuren-register-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"


@login_required
@require_http_methods(["GET", "POST"])
def register_view(request: AuthenticatedRequest) -> HttpResponse:
    _require_figures(request)
    if request.method != "POST":
        form = RegisterForm(user=request.user)
        return render(request, "insights/register.html", {"form": form, "limit": sync_limit()})
    form = RegisterForm(request.POST, user=request.user)
    if not form.is_valid():
        context = {"form": form, "limit": sync_limit()}
        return render(request, "insights/register.html", context, status=400)
    data = form.cleaned_data
    place, period = data["place"], data["period"]
    unmask, reason = bool(data.get("unmask")), data.get("reason") or ""
    if count_matters(request.user, place, period) > sync_limit():
        ask_for_register(
            actor=request.user, place=place, period=period, unmask=unmask, reason=reason
        )
        messages.info(
            request,
            _("This register is large: it is being made, and you will be told when it is ready."),
        )
        return redirect("insights:register-files")
    built = build_register(
        user=request.user,
        place=place,
        period=period,
        unmask=unmask,
        reason=reason,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return xlsx_response(built.content, register_filename(period.start, period.end))


@login_required
@require_GET
def files_view(request: AuthenticatedRequest) -> HttpResponse:
    _require_figures(request)
    exports = list(ExportFile.objects.visible_to(request.user).select_related("place")[:LISTED])
    now = timezone.now()
    rows = [(export, export.expired(now)) for export in exports]
    return render(request, "insights/register_files.html", {"rows": rows})


@login_required
@require_GET
def download_view(request: AuthenticatedRequest, pk: int) -> FileResponse:
    export = get_object_or_404(ExportFile.objects.visible_to(request.user), pk=pk)
    if not export.is_ready or export.expired(timezone.now()):
        raise Http404
    try:
        handle = default_storage.open(export.file, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=register_filename(export.start, export.end),
        content_type=XLSX,
    )
    response["Cache-Control"] = "no-store"
    return response
