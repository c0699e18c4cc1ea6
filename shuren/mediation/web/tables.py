"""The statistics table as the page and the workbook show it: one line per figure group (the
total, each of the 15 official dispute types, each source) and the prevention counters, each
figure with its definition (statistics.py), and the workbook in the same layout."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from shuren.mediation.choices import DisputeType, Source
from shuren.mediation.statistics import Line, Table
from shuren.spreadsheet import row

# What each figure counts (statistics.py's definitions, in the reader's language).
DEFINITIONS = (
    (
        gettext_lazy("Accepted"),
        gettext_lazy("The cases registered (受理) in the month, whatever became of them."),
    ),
    (
        gettext_lazy("Succeeded"),
        gettext_lazy(
            "Of those, the cases that ended in an agreement (调解成功), whenever it was reached."
        ),
    ),
    (gettext_lazy("Success rate"), gettext_lazy("Succeeded ÷ accepted, in per cent.")),
    (
        gettext_lazy("Amount involved"),
        gettext_lazy("What the accepted cases involve, in yuan."),
    ),
    (
        gettext_lazy("Prevented"),
        gettext_lazy(
            "Accepted cases in which the mediator recorded persons kept from a criminal case or "
            "a group petition, and those persons."
        ),
    ),
)


@dataclass(frozen=True)
class TableLine:
    group: str  # the section: total, type, source
    label: str
    accepted: int
    succeeded: int
    rate: Decimal | None
    amount: Decimal


def lines(table: Table) -> list[TableLine]:
    """The lines in the bureau's order: the total, the 15 types, the 3 sources."""

    def line(group: str, label: str, figures: Line) -> TableLine:
        return TableLine(
            group, label, figures.accepted, figures.succeeded, figures.rate, figures.amount
        )

    found = [line("total", _("All disputes"), table.total)]
    found += [line("type", str(DisputeType(t).label), f) for t, f in table.by_type.items()]
    found += [line("source", str(Source(s).label), f) for s, f in table.by_source.items()]
    return found


def prevention(table: Table) -> list[tuple[str, int, int]]:
    return [
        (_("Kept from becoming a criminal case"), table.criminal_cases, table.criminal_persons),
        (_("Kept from becoming a group petition"), table.petition_cases, table.petition_persons),
    ]


def statistics_xlsx(
    table: Table, *, of: str, start: dt.date, end: dt.date, who: str, at: dt.datetime
) -> bytes:
    """The page's table as a workbook: the same lines, the prevention counters, the
    definitions, then who made it when."""
    book = Workbook(write_only=True)
    sheet: Any = book.create_sheet(str(_("Mediation statistics"))[:31])
    sheet.append(row(sheet, [_("Mediation statistics"), of]))
    sheet.append(row(sheet, [_("Period"), start.isoformat(), end.isoformat()]))
    sheet.append([])
    heads = [_("Section"), _("Line"), _("Accepted"), _("Succeeded"), _("Success rate (%)")]
    sheet.append(row(sheet, [*heads, _("Amount involved (yuan)")]))
    sections = {"total": _("Total"), "type": _("Type of dispute"), "source": _("Source")}
    for li in lines(table):
        rate = float(li.rate) if li.rate is not None else "—"
        values = [sections[li.group], li.label, li.accepted, li.succeeded, rate, float(li.amount)]
        sheet.append(row(sheet, values))
    sheet.append([])
    sheet.append(row(sheet, [_("Prevented"), "", _("Cases"), _("Persons")]))
    for label, cases, persons in prevention(table):
        sheet.append(row(sheet, [label, "", cases, persons]))
    sheet.append([])
    for figure, rule in DEFINITIONS:
        sheet.append(row(sheet, [str(figure), str(rule)]))
    sheet.append(row(sheet, [_("Generated"), at.strftime("%Y-%m-%d %H:%M"), who]))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
