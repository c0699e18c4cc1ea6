"""The work report's page and its downloads (PDF, Excel): the figures of a place and period
with their definitions, within the reader's scope; each download is audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.insights.web.report_data import ReportForm, figures_place, generated_at, report_of
from shuren.insights.web.report_files import report_pdf, report_xlsx


def _refused(request: AuthenticatedRequest, form: ReportForm) -> HttpResponse:
    """A question that cannot be answered: the form with its errors, 400. The place asked for
    is checked first, so that a bad period never tells whether an id exists."""
    place = form.cleaned_data.get("place") if "place" not in form.errors else None
    figures_place(request.user, place)
    return render(request, "insights/report.html", {"form": form}, status=400)


@login_required
@require_GET
def report_page(request: AuthenticatedRequest) -> HttpResponse:
    form = ReportForm(request.GET)
    if not form.is_valid():
        return _refused(request, form)
    report = report_of(request.user, form)
    return render(request, "insights/report.html", {"form": form, "report": report})


Writer = Callable[..., bytes]
FILES: dict[str, tuple[Writer, str]] = {
    "pdf": (report_pdf, "application/pdf"),
    "xlsx": (
        report_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def _download(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    form = ReportForm(request.GET)
    if not form.is_valid():
        return _refused(request, form)
    report = report_of(request.user, form)
    write, content_type = FILES[kind]
    who = request.user.person.name if request.user.person else request.user.get_username()
    content = write(report, who=who, at=generated_at())
    detail: dict[str, Any] = {
        "file": f"work_report.{kind}",
        "start": report.period.start.isoformat(),
        "end": report.period.end.isoformat(),
    }
    record(Kind.EXPORT, request=request, target=report.place, detail=detail)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.file_stem()}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def report_pdf_download(request: AuthenticatedRequest) -> HttpResponse:
    return _download(request, "pdf")


@login_required
@require_GET
def report_xlsx_download(request: AuthenticatedRequest) -> HttpResponse:
    return _download(request, "xlsx")
