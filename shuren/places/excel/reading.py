"""Reading an uploaded workbook into typed rows, collecting every unreadable cell as an error.

A workbook is a zip of XML, so a small upload can hold a great deal. What reading one may cost
is bounded before and while it is read (issue 10: a 300,001-row file held a request for 73 s):

- before: the parts' declared unpacked sizes must add up to at most UNPACKED_BASE plus
  UNPACKED_PER_ROW per allowed row, in at most MAX_PARTS parts. zipfile never inflates a part
  past its declared size (and fails its CRC check if the data goes on), so a zip bomb (a huge
  sharedStrings.xml, a sheet of millions of empty cells) is refused without being unpacked;
- while: the data rows of all sheets together are counted as they stream in (read-only mode)
  and reading stops at the first row past settings.SHUREN_IMPORT_MAX_ROWS, before that row is
  parsed; the file is then refused as a whole, with one message naming the limit, and nothing
  of it is checked or written;
- a sheet is read only as wide as its known columns and no further down than Excel's last row,
  whatever its <dimension> claims: openpyxl pads every row to the claimed width.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from shuren.places.excel import cells
from shuren.places.excel.report import RowError
from shuren.places.excel.template import HOUSEHOLDS, PLACES, RESIDENTS, SHEETS, Sheet

EXCEL_LAST_ROW = 1_048_576  # the last row of a sheet in Excel; a "row" below it is no sheet's
MAX_PARTS = 1_000  # files in the zip: a workbook of three sheets has about a dozen
MB = 1024 * 1024
UNPACKED_BASE = 16 * MB  # styles, theme, workbook and the sheets' headers
UNPACKED_PER_ROW = 1024  # a row of the template is 300-500 bytes of XML, shared strings included
T = TypeVar("T")


def max_rows() -> int:
    """Data rows an import reads, all sheets together (settings.SHUREN_IMPORT_MAX_ROWS): a
    neighbourhood-sized file holds tens of thousands; more is a mistake or an attack."""
    return int(settings.SHUREN_IMPORT_MAX_ROWS)


class TooManyRows(Exception):
    """The file has more data rows than max_rows(); reading stopped at the first one past it."""


@dataclass
class RowBudget:
    """The data rows still allowed, counted across the sheets of one file."""

    left: int

    def take(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise TooManyRows


def data_rows(
    rows: Iterable[tuple[Any, ...]], budget: RowBudget
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The non-empty rows of a sheet below its header, with their Excel numbers; raises
    TooManyRows on the first one past the budget, before it is parsed and before any row after
    it is read."""
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        budget.take()
        yield number, values


def sheet_rows(ws: Any, width: int) -> Iterator[tuple[Any, ...]]:
    """The rows below the header, as values, exactly `width` columns wide and no further down
    than Excel's last row, whatever the sheet's <dimension> claims."""
    return ws.iter_rows(min_row=2, max_row=EXCEL_LAST_ROW, max_col=width, values_only=True)


def _too_many_rows(limit: int) -> RowError:
    return RowError(
        "",
        0,
        "",
        "",
        _(
            "The file has more than %(max)d data rows (all sheets together), so it was not "
            "read further. Split it into files of at most %(max)d rows."
        )
        % {"max": limit},
    )


def _unpacked_problem(file: str | Path | IO[bytes], limit: int) -> RowError | None:
    """A refusal when the zip would unpack to more than a file of `limit` rows needs; None
    when it is small enough, or is no zip at all (load_workbook then says it is unreadable)."""
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        if not isinstance(file, str | Path):
            file.seek(0)
    allowed = UNPACKED_BASE + limit * UNPACKED_PER_ROW
    if len(parts) <= MAX_PARTS and sum(part.file_size for part in parts) <= allowed:
        return None
    return RowError(
        "",
        0,
        "",
        "",
        _(
            "This workbook would unpack to more than %(size)d MB, more than a file of %(max)d "
            "rows needs; it was not read. Split it into smaller files."
        )
        % {"size": allowed // MB, "max": limit},
    )


def _normal(header: object) -> str:
    """Headers match ignoring case, spaces and a required-marker star."""
    return re.sub(r"[\s*＊]", "", str(header or "")).lower()


@dataclass
class SheetReader:
    """One sheet of the file: where each column is, and the errors found in it."""

    sheet: Sheet
    title: str
    errors: list[RowError]
    positions: dict[str, int] = field(default_factory=dict)  # column key -> 0-based index
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header in the file

    def error(self, row: int, key: str, message: str) -> None:
        if key in self.positions:
            letter, header = get_column_letter(self.positions[key] + 1), self.headers[key]
        else:
            letter, header = "", self.sheet.column(key).header
        self.errors.append(RowError(self.title, row, letter, header, message))

    def row_error(self, row: int, message: str) -> None:
        self.errors.append(RowError(self.title, row, "", "", message))

    def map_headers(self, header_row: tuple[Any, ...]) -> bool:
        by_name = {}
        for column in self.sheet.columns:
            by_name[_normal(column.header)] = column.key
            by_name[_normal(column.key)] = column.key
        for index, value in enumerate(header_row):
            key = by_name.get(_normal(value))
            if key is None:
                continue  # extra columns (notes, 备注) are allowed and ignored
            if key in self.positions:
                self.errors.append(
                    RowError(
                        self.title,
                        1,
                        get_column_letter(index + 1),
                        str(value),
                        _("This column appears twice."),
                    )
                )
                continue
            self.positions[key] = index
            self.headers[key] = str(value).strip()
        missing = [
            c.header for c in self.sheet.columns if c.required and c.key not in self.positions
        ]
        for header in missing:
            self.errors.append(
                RowError(
                    self.title,
                    1,
                    "",
                    header,
                    _("The required column %(column)s is missing from the header row.")
                    % {"column": header},
                )
            )
        return not missing

    def value(self, values: tuple[Any, ...], key: str) -> Any:
        index = self.positions.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]

    def parse(
        self, row: int, values: tuple[Any, ...], key: str, parser: Callable[..., T], *args: Any
    ) -> T | None:
        try:
            return parser(self.value(values, key), *args)
        except cells.CellError as exc:
            self.error(row, key, str(exc))
            return None

    def code(
        self, row: int, values: tuple[Any, ...], key: str, max_length: int, *, required: bool
    ) -> str:
        result = self.parse(row, values, key, cells.code, max_length)
        if result is None:
            return ""
        if required and not result:
            self.error(row, key, _("This cell is required."))
        return result

    def required(self, row: int, values: tuple[Any, ...], key: str, max_length: int) -> str:
        try:
            result = cells.text(self.value(values, key))
        except cells.CellError as exc:
            self.error(row, key, str(exc))
            return ""
        if not result:
            self.error(row, key, _("This cell is required."))
            return ""
        try:
            return cells.limited(result, max_length)
        except cells.CellError as exc:
            self.error(row, key, str(exc))
            return ""


@dataclass
class PlaceRow:
    row: int
    code: str
    kind: str
    name: str
    parent_code: str
    official_code: str
    storeys: int | None
    floor_from: int | None
    floor_to: int | None
    company_code: str
    address: str


@dataclass
class HouseholdRow:
    row: int
    code: str
    place_code: str
    room: str
    floor: int | None
    area: Decimal | None
    owner_codes: list[str]


@dataclass
class ResidentRow:
    row: int
    person_code: str
    name: str
    phone: str  # checked later: a value equal to the stored one is kept as it is
    id_number: str
    party_member: bool
    household_code: str
    relation: str
    # 楼长可见电话: None where the cell is empty (or the column absent): a person already in the
    # system keeps their choice, a new one is "no".
    leader_sees_phone: bool | None = None


@dataclass
class ParsedWorkbook:
    errors: list[RowError] = field(default_factory=list)
    readers: dict[str, SheetReader] = field(default_factory=dict)
    places: list[PlaceRow] = field(default_factory=list)
    households: list[HouseholdRow] = field(default_factory=list)
    residents: list[ResidentRow] = field(default_factory=list)


def _official_code(value: object) -> str:
    result = cells.text(value)
    if result and not (result.isdigit() and len(result) <= 12):
        raise cells.CellError(_("统计用区划代码 has at most 12 digits."))
    return result


def _parse_place(r: SheetReader, number: int, values: tuple[Any, ...]) -> PlaceRow:
    kind = ""
    if cells.text(r.value(values, "kind")):
        kind = r.parse(number, values, "kind", cells.place_kind) or ""
    else:
        r.error(number, "kind", _("This cell is required."))
    return PlaceRow(
        row=number,
        code=r.code(number, values, "code", 40, required=True),
        kind=kind,
        name=r.required(number, values, "name", 100),
        parent_code=r.code(number, values, "parent_code", 40, required=False),
        official_code=r.parse(number, values, "official_code", _official_code) or "",
        storeys=r.parse(number, values, "storeys", _storeys),
        floor_from=r.parse(number, values, "floor_from", _floor),
        floor_to=r.parse(number, values, "floor_to", _floor),
        company_code=r.code(number, values, "property_company_code", 60, required=False),
        address=r.parse(number, values, "address", _address) or "",
    )


def _storeys(value: object) -> int | None:
    return cells.whole_number(value, minimum=1, maximum=300)


def _floor(value: object) -> int | None:
    return cells.whole_number(value, minimum=-20, maximum=300)


def _address(value: object) -> str:
    return cells.limited(cells.text(value), 200)


def _parse_household(r: SheetReader, number: int, values: tuple[Any, ...]) -> HouseholdRow:
    return HouseholdRow(
        row=number,
        code=r.code(number, values, "code", 60, required=True),
        place_code=r.code(number, values, "place_code", 40, required=True),
        room=r.required(number, values, "room", 20),
        floor=r.parse(number, values, "floor", _floor),
        area=r.parse(number, values, "exclusive_area", cells.area),
        owner_codes=r.parse(number, values, "owner_codes", cells.code_list, 60) or [],
    )


def _parse_resident(r: SheetReader, number: int, values: tuple[Any, ...]) -> ResidentRow:
    relation = ""
    if cells.text(r.value(values, "relation")):
        relation = r.parse(number, values, "relation", cells.relation) or ""
    return ResidentRow(
        row=number,
        person_code=r.code(number, values, "person_code", 60, required=True),
        name=r.required(number, values, "name", 50),
        phone=r.parse(number, values, "phone", _loose, 20) or "",
        id_number=r.parse(number, values, "id_number", _loose_id) or "",
        party_member=bool(r.parse(number, values, "party_member", cells.yes_no)),
        household_code=r.code(number, values, "household_code", 60, required=False),
        relation=relation,
        leader_sees_phone=r.parse(number, values, "leader_sees_phone", _consent),
    )


def _consent(value: object) -> bool | None:
    return cells.yes_no(value) if cells.text(value) else None


def _loose(value: object, max_length: int) -> str:
    """Phone and ID number are read as text here and checked once the stored value is known:
    a value equal to the stored one is kept as it is."""
    return cells.limited(re.sub(r"\s", "", cells.text(value)), max_length)


def _loose_id(value: object) -> str:
    if isinstance(value, float) and value > 1e15:
        # Typed as a number, Excel kept only 15 significant digits.
        raise cells.CellError(
            _("The ID number was stored as a number and lost digits; format the column as text.")
        )
    return _loose(value, 18).upper()


_PARSERS: dict[str, Callable[[SheetReader, int, tuple[Any, ...]], Any]] = {
    PLACES.key: _parse_place,
    HOUSEHOLDS.key: _parse_household,
    RESIDENTS.key: _parse_resident,
}


def _find_sheets(wb: Any, parsed: ParsedWorkbook) -> dict[str, Any]:
    names = {}
    for sheet in SHEETS:
        names[_normal(sheet.title)] = sheet
        names[_normal(sheet.key)] = sheet
    found: dict[str, Any] = {}
    for ws in wb.worksheets:
        matched = names.get(_normal(ws.title))
        if matched is None:
            continue
        if matched.key in found:
            parsed.errors.append(
                RowError(ws.title, 0, "", "", _("There are two sheets for the same rows."))
            )
            continue
        found[matched.key] = ws
    if not found:
        parsed.errors.append(
            RowError(
                "",
                0,
                "",
                "",
                _("No sheet named 区划, 住户 or 居民 was found; start from the template."),
            )
        )
    return found


def read_workbook(file: str | Path | bytes | IO[bytes]) -> ParsedWorkbook:
    """Parse every row of the three sheets; rows with bad cells are kept so all errors show."""
    parsed = ParsedWorkbook()
    if isinstance(file, bytes):
        file = io.BytesIO(file)
    limit = max_rows()
    too_big = _unpacked_problem(file, limit)
    if too_big is not None:
        parsed.errors.append(too_big)
        return parsed
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error for a damaged or foreign file
        parsed.errors.append(
            RowError("", 0, "", "", _("This is not an Excel workbook (.xlsx) that can be read."))
        )
        return parsed
    budget = RowBudget(limit)
    try:
        for key, ws in _find_sheets(wb, parsed).items():
            sheet = next(s for s in SHEETS if s.key == key)
            reader = SheetReader(sheet, ws.title, parsed.errors)
            parsed.readers[key] = reader
            header = next(ws.iter_rows(max_row=1, values_only=True), ())
            if not reader.map_headers(header):
                continue
            rows = getattr(parsed, key)
            parse = _PARSERS[key]
            width = max(reader.positions.values()) + 1
            for number, values in data_rows(sheet_rows(ws, width), budget):
                rows.append(parse(reader, number, values))
    except TooManyRows:
        # The whole file is refused: what was read so far is dropped, not checked.
        return ParsedWorkbook(errors=[_too_many_rows(limit)])
    finally:
        wb.close()
    return parsed
