"""Cells that every workbook the project writes holds as data, never as a formula to run.

A name such as ``=HYPERLINK("http://…","点这里")`` or ``=cmd|' /C calc'!A0`` typed into a form or
an imported file must come out of an export as the same text, not as a live formula (CSV/formula
injection, CWE-1236). openpyxl turns any string starting with "=" into a formula and "#N/A" and
the like into error values, so every value a writer appends goes through cell() here:

- a string that a spreadsheet could read as something else (starting with = + - @, a tab or a
  carriage return, or an error code such as #N/A) is written as an inline string
  (``t="inlineStr"``, no ``<f>``), so Excel and LibreOffice show it and never evaluate it;
- it also carries the quotePrefix style (Excel's leading apostrophe), so editing the cell and
  pressing Enter keeps it text;
- the value itself is unchanged (no apostrophe added), so an export imports back as it was;
- except for the control characters no xlsx file can hold (openpyxl raises on them): stored
  before today's input rules refused them, they are dropped rather than fail the export.

Everything else passes through as is: numbers stay numbers, and plain text is written as text by
openpyxl already (one object per risky cell only, so large exports stay fast).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell

# What a spreadsheet may read as a formula, a DDE call or a value other than text (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def needs_protection(value: object) -> bool:
    """True for text a spreadsheet would not keep as plain text on its own."""
    return isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value in ERROR_CODES)


def cell(ws: Any, value: Any) -> Any:
    """The value to append to a write-only sheet: risky text as a text cell, the rest as is.

    A WriteOnlyCell the caller built (for its style) is checked too."""
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, Cell):  # WriteOnlyCell() makes a Cell
        if needs_protection(value.value):
            value.data_type = "s"
            value.quotePrefix = True
        return value
    if not needs_protection(value):
        return value
    text = WriteOnlyCell(ws, value=value)
    text.data_type = "s"  # openpyxl made "=…" a formula and "#N/A" an error; it is text
    text.quotePrefix = True
    return text


def row(ws: Any, values: Iterable[Any]) -> list[Any]:
    """A row for ws.append(), every value through cell()."""
    return [cell(ws, value) for value in values]
