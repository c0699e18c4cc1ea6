"""Pages of the Excel exchange: download the template, import a file, export what one sees.

Only users who may import places (places.import_places) reach them; anyone else gets a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from shuren.access.context import scope_of
from shuren.accounts.http import AuthenticatedRequest
from shuren.places.excel.actions import import_places
from shuren.places.excel.exporter import export_workbook
from shuren.places.excel.template import write_template
from shuren.places.models import Place
from shuren.text import InputsForm, strip_invisible

MAX_UPLOAD = 10 * 1024 * 1024
# A long error list is cut on the page; the file has to be corrected and uploaded again anyway.
MAX_SHOWN_ERRORS = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_importer(request: HttpRequest) -> None:
    if not request.user.has_perm("places.import_places"):
        raise Http404


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Personal information, even masked, stays out of shared caches.
    response["Cache-Control"] = "no-store"
    return response


class ImportForm(InputsForm):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )
    dry_run = forms.BooleanField(
        required=False, label=_("Only check the file; do not write anything")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx file made from the template."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class ExportForm(InputsForm):
    root = forms.CharField(
        required=False,
        max_length=40,
        label=_("Code of the place to export"),
        help_text=_("Leave empty to export everything you can see."),
    )
    unmask = forms.BooleanField(
        required=False, label=_("Include full phone and ID numbers (logged)")
    )
    reason = forms.CharField(required=False, max_length=200, label=_("Reason"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.may_unmask = bool(scope_of(user).unmask_roots)
        if not self.may_unmask:
            del self.fields["unmask"]
            del self.fields["reason"]

    def clean_root(self) -> Place | None:
        code = self.cleaned_data["root"].strip()
        if not code:
            return None
        place = Place.objects.visible_to(self.user).filter(code=code).first()
        if place is None:
            raise forms.ValidationError(_("No place with this code that you can see."))
        return place

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("unmask"):
            if not strip_invisible(data.get("reason") or ""):  # zero-width is no reason
                self.add_error("reason", _("Say why the full numbers are needed."))
            root = data.get("root")
            if root is not None and not scope_of(self.user).may_unmask_path(root.path):
                self.add_error("unmask", _("You may not see full numbers for this place."))
        return data


@login_required
@require_GET
def template_download(request: AuthenticatedRequest) -> HttpResponse:
    _require_importer(request)
    return _xlsx(write_template(), "shuren-template.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: AuthenticatedRequest) -> HttpResponse:
    _require_importer(request)
    report = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = import_places(
                actor=request.user,
                file=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
            )
    else:
        form = ImportForm()
    context: dict[str, Any] = {"form": form, "report": report}
    if report is not None:
        context["errors"] = report.errors[:MAX_SHOWN_ERRORS]
        context["hidden_errors"] = max(0, len(report.errors) - MAX_SHOWN_ERRORS)
    return render(request, "places/excel/import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def export_view(request: AuthenticatedRequest) -> HttpResponse:
    _require_importer(request)
    if request.method == "POST":
        form = ExportForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            content = export_workbook(
                user=request.user,
                root=data["root"],
                unmask=bool(data.get("unmask")),
                reason=data.get("reason") or "",
                ip_address=request.META.get("REMOTE_ADDR"),
            )
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            return _xlsx(content, f"shuren-export-{stamp}.xlsx")
    else:
        form = ExportForm(user=request.user)
    return render(request, "places/excel/export.html", {"form": form})
