"""The case register as an Excel workbook: the register sheet (one line per matter, in the layout
communities keep) and the summary sheet (counts by category and state, the tier metrics of
cases/metrics.py, the place, the period, who exported it and when).

Written with openpyxl's write-only workbook in the style of the places' template (bold headers
on light blue, frozen header, set widths); every value goes through shuren.spreadsheet, so a
title such as `=HYPERLINK(…)` stays text.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from shuren import spreadsheet
from shuren.cases.metrics import Rate, TierMetrics
from shuren.insights.register.rows import RegisterRow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The places' template's look (places/excel/template.py), so the files sit well side by side.
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
WRAP = Alignment(wrap_text=True, vertical="top")


def columns() -> list[tuple[str, int]]:
    """The register's columns, in order, with their widths."""
    return [
        (pgettext("register", "Number"), 18),
        (pgettext("register", "Reported"), 17),
        (pgettext("register", "Reporter"), 18),
        (pgettext("register", "Place"), 36),
        (pgettext("register", "Category"), 18),
        (pgettext("register", "Summary"), 50),
        (pgettext("register", "Highest tier reached"), 16),
        (pgettext("register", "Handler"), 22),
        (pgettext("register", "How settled"), 40),
        (pgettext("register", "Days taken"), 10),
        (pgettext("register", "On time"), 8),
        (pgettext("register", "Satisfaction"), 10),
        (pgettext("register", "Status"), 10),
    ]


@dataclass
class Heading:
    """What the summary says about the export itself."""

    place: str
    start: str
    end: str
    exported_by: str
    exported_at: str
    unmasked: bool


@dataclass
class Tallies:
    """What the summary counts while the lines are written (one pass over the matters)."""

    rows: int = 0
    unmasked: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)


def _yes_no(value: bool | None, yes: str, no: str) -> str:
    return "" if value is None else (yes if value else no)


def _line(row: RegisterRow) -> list[Any]:
    return [
        row.number,
        row.reported,
        row.reporter,
        row.place,
        row.category,
        row.summary,
        row.tier,
        row.handler,
        row.settled,
        row.days,
        _yes_no(row.on_time, pgettext("register", "Yes"), pgettext("register", "No")),
        _yes_no(
            row.satisfied, pgettext("register", "Satisfied"), pgettext("register", "Not satisfied")
        ),
        row.status,
    ]


def _styled(ws: Any, value: Any, *, font: Font | None = None, fill: bool = False) -> Any:
    cell = WriteOnlyCell(ws, value=value)
    if font is not None:
        cell.font = font
    if fill:
        cell.fill = HEADER_FILL
    return spreadsheet.cell(ws, cell)


def _percent(rate: Rate) -> str:
    value = rate.percent()
    return "" if value is None else f"{value}%"


def _write_register(wb: Workbook, heading: Heading, rows: Iterable[RegisterRow]) -> Tallies:
    ws: Any = wb.create_sheet(pgettext("register", "Case register"))
    for index, (_title, width) in enumerate(columns(), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A3"
    title = pgettext("register", "Case register of %(place)s, %(start)s to %(end)s") % {
        "place": heading.place,
        "start": heading.start,
        "end": heading.end,
    }
    ws.append([_styled(ws, title, font=TITLE_FONT)])
    ws.append([_styled(ws, name, font=HEADER_FONT, fill=True) for name, _w in columns()])
    tallies = Tallies()
    for row in rows:
        ws.append(spreadsheet.row(ws, _line(row)))
        tallies.rows += 1
        tallies.unmasked += row.unmasked
        tallies.by_category[row.category] += 1
        tallies.by_status[row.status] += 1
    return tallies


def _write_summary(wb: Workbook, heading: Heading, tallies: Tallies, metrics: TierMetrics) -> None:
    ws: Any = wb.create_sheet(pgettext("register", "Summary sheet"))
    for letter, width in zip("ABCD", (28, 36, 10, 10), strict=True):
        ws.column_dimensions[letter].width = width

    def header(*values: str) -> None:
        ws.append([_styled(ws, value, font=HEADER_FONT, fill=True) for value in values])

    def line(*values: Any) -> None:
        ws.append(spreadsheet.row(ws, values))

    ws.append([_styled(ws, pgettext("register", "Summary of the case register"), font=TITLE_FONT)])
    line(pgettext("register", "Place"), heading.place)
    line(
        pgettext("register", "Period"),
        pgettext("register", "%(start)s to %(end)s") % {"start": heading.start, "end": heading.end},
    )
    line(pgettext("register", "Exported by"), heading.exported_by)
    line(pgettext("register", "Exported at"), heading.exported_at)
    line(
        pgettext("register", "Personal information"),
        pgettext("register", "Full (written to the access log)")
        if heading.unmasked
        else pgettext("register", "Masked"),
    )
    line(pgettext("register", "Matters"), tallies.rows)
    line()
    header(pgettext("register", "Category"), pgettext("register", "Matters"))
    for name, count in sorted(tallies.by_category.items()):
        line(name, count)
    line()
    header(pgettext("register", "Status"), pgettext("register", "Matters"))
    for name, count in sorted(tallies.by_status.items()):
        line(name, count)
    line()
    header(
        pgettext("register", "Tier metrics"),
        pgettext("register", "Value"),
        pgettext("register", "Of"),
        pgettext("register", "Out of"),
    )
    line(pgettext("register", "Counted (not rejected or merged)"), metrics.counted)
    line(pgettext("register", "Settled"), metrics.settled)
    for tier, count in metrics.settled_by_tier.items():
        line(pgettext("register", "Settled at tier %(tier)d") % {"tier": tier}, count)
    for label, rate in (
        (pgettext("register", "Settled on the spot (tiers 1-2)"), metrics.on_the_spot),
        (
            pgettext("register", "Settled within the community (tiers 1-3)"),
            metrics.within_community,
        ),
        (
            pgettext("register", "Settled within the subdistrict (tiers 1-4)"),
            metrics.within_subdistrict,
        ),
        (pgettext("register", "Never sent beyond the subdistrict"), metrics.never_beyond),
        (pgettext("register", "On-time rate"), metrics.on_time),
        (pgettext("register", "Satisfaction rate"), metrics.satisfaction),
    ):
        line(label, _percent(rate), rate.numerator, rate.denominator)
    line()
    note = pgettext(
        "register",
        "A rate with nothing to count is left empty. Dates are Asia/Shanghai, both included.",
    )
    ws.append([_styled(ws, note)])


def write_register(
    heading: Heading, rows: Iterable[RegisterRow], metrics: TierMetrics
) -> tuple[bytes, Tallies]:
    """The workbook's bytes and what it counted (its lines, the lines written in full)."""
    wb = Workbook(write_only=True)
    tallies = _write_register(wb, heading, rows)
    _write_summary(wb, heading, tallies, metrics)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), tallies


def local_now() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")
