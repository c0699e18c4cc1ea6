"""The audit trail as an Excel file: the filtered entries, newest first, streamed into a
write-only workbook. Every text cell is typed text with Excel's quote prefix, so a name such as
`=HYPERLINK(…)` typed at a login prompt is never a formula in the auditor's spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from shuren.audit.choices import Kind
from shuren.audit.models import AuditEntry
from shuren.spreadsheet import cell

MAX_ROWS = 100_000  # a larger trail is exported in parts, by date range


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    # The project's one rule for text a spreadsheet could run (shuren.spreadsheet).
    if value is None or isinstance(value, bool | int):
        return value
    return cell(sheet, str(value))


def describe(detail: dict[str, Any]) -> str:
    """The details as one line: key: value; lists joined by commas."""
    parts = []
    for key, value in detail.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        parts.append(f"{key}: {value}")
    return "; ".join(parts)


def headers() -> list[str]:
    return [
        _("Number"),
        _("When"),
        _("What happened"),
        _("Who"),
        _("IP address"),
        _("Object type"),
        _("Object id"),
        _("Object"),
        _("Details"),
        _("Hash"),
    ]


def _rows(entries: Iterable[AuditEntry]) -> Iterable[list[Any]]:
    labels = dict(Kind.choices)
    for entry in entries:
        yield [
            entry.seq,
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(labels.get(entry.kind, entry.kind)),
            entry.actor_username,
            entry.ip,
            entry.target_type,
            entry.target_id,
            entry.target_label,
            describe(entry.detail),
            entry.hash,
        ]


def write_trail(entries: QuerySet[AuditEntry]) -> tuple[bytes, int, bool]:
    """The workbook's bytes, the rows written, and whether the cap cut it short."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit trail"))
    sheet.append([_cell(sheet, text) for text in headers()])
    written = 0
    more = False
    for row in _rows(entries[: MAX_ROWS + 1].iterator(chunk_size=2000)):
        if written == MAX_ROWS:
            more = True
            sheet.append([_cell(sheet, _("More entries: narrow the dates and export again."))])
            break
        sheet.append([_cell(sheet, value) for value in row])
        written += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), written, more
