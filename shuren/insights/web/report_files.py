"""The work report's downloads: a PDF (WeasyPrint, A4, with the vendored Noto Sans CJK SC subset
embedded so that it prints Chinese on any machine) and an Excel workbook (through
shuren/spreadsheet.py, every cell data, never a formula)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from PIL import ImageFile

from shuren.insights.web.report_data import Report
from shuren.spreadsheet import row

STATIC = Path(__file__).resolve().parents[1] / "static" / "insights"
# Its @font-face names fonts/NotoSansCJKsc-Regular-GB2312.otf beside it (the file system).
PDF_CSS = STATIC / "report_pdf.css"


def report_pdf(report: Report, *, who: str, at: dt.datetime) -> bytes:
    """The report as an A4 PDF: title, place, period, paragraph, the table with each figure's
    definition, when (Asia/Shanghai) and by whom it was made."""
    from weasyprint import CSS, HTML  # heavy (pango, large): loaded when asked for
    from weasyprint.text.fonts import FontConfiguration  # with it, for the @font-face

    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, after which a
    # photo cut short would pass the intake's check (cases/intake/photos.py) in this process.
    # The report has no raster image: put it back.
    ImageFile.LOAD_TRUNCATED_IMAGES = False

    html = render_to_string("insights/report_pdf.html", {"report": report, "who": who, "at": at})
    fonts = FontConfiguration()  # the stylesheet's @font-face is loaded into it
    pdf = HTML(string=html, base_url=STATIC.as_uri() + "/").write_pdf(
        stylesheets=[CSS(filename=str(PDF_CSS), font_config=fonts)], font_config=fonts
    )
    assert pdf is not None
    return bytes(pdf)


def report_xlsx(report: Report, *, who: str, at: dt.datetime) -> bytes:
    """The report as a workbook: one sheet with each figure's value, unit and definition (the
    mediation block's too, for its readers), then the paragraph and who made it when."""
    book = Workbook(write_only=True)
    sheet: Any = book.create_sheet(_("Work report")[:31])
    sheet.append(row(sheet, [_("Work report"), report.place.name]))
    sheet.append(
        row(sheet, [_("Period"), report.period.start.isoformat(), report.period.end.isoformat()])
    )
    sheet.append([])
    sheet.append(row(sheet, [_("Figure"), _("Value"), _("Unit"), _("Counted of"), _("Definition")]))
    for r in report.rows:
        value: Any = r.raw if r.raw is not None else r.missing
        sheet.append(row(sheet, [r.label, value, r.unit, r.detail, r.rule]))
    if report.mediation_rows is not None:
        sheet.append([])
        sheet.append(row(sheet, [_("People's mediation")]))
        for r in report.mediation_rows:
            value = r.raw if r.raw is not None else r.missing
            sheet.append(row(sheet, [r.label, value, r.unit, r.detail, r.rule]))
    sheet.append([])
    sheet.append(row(sheet, [_("Paragraph"), report.paragraph]))
    if report.mediation_sentence:
        sheet.append(row(sheet, [_("Mediation in words"), report.mediation_sentence]))
    sheet.append(
        row(sheet, [_("Generated"), at.strftime("%Y-%m-%d %H:%M"), _("Asia/Shanghai"), who])
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
