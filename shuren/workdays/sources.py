"""Reads the holiday files (workdays/data/cn-YYYY.json) and checks them before anything trusts them.

One file per year, transcribed from the State Council notice (国务院办公厅关于YYYY年部分节假日
安排的通知). Each holiday lists every day of its period (weekend days included, so they carry
the holiday's name) and every make-up workday (调休上班, always a Saturday or Sunday).
``days`` is the notice's "共N天" and is checked against the list. ``provisional`` marks a year
whose notice was not yet published when the file was written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from shuren.workdays.calendar import WorkCalendar

DATA_DIR = Path(__file__).resolve().parent / "data"
_FILE_NAME = re.compile(r"^cn-(\d{4})\.json$")

OFF = "off"
MAKEUP = "makeup"


class HolidayFileError(ValueError):
    """A holiday file that cannot be trusted; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class HolidayEntry:
    day: date
    kind: str  # OFF or MAKEUP
    name: str


@dataclass(frozen=True, slots=True)
class YearFile:
    year: int
    provisional: bool
    source: str
    entries: tuple[HolidayEntry, ...]


def read_year_file(path: Path) -> YearFile:
    """Parse and check one cn-YYYY.json file."""
    match = _FILE_NAME.match(path.name)
    if not match:
        raise HolidayFileError(f"{path.name}: holiday files are named cn-YYYY.json")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise HolidayFileError(f"{path.name}: {exc}") from None

    def fail(problem: str) -> HolidayFileError:
        return HolidayFileError(f"{path.name}: {problem}")

    year = raw.get("year")
    if year != int(match.group(1)):
        raise fail(f"'year' is {year!r}, the file name says {match.group(1)}")
    provisional = raw.get("provisional")
    if not isinstance(provisional, bool):
        raise fail("'provisional' must be true or false")
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise fail("'source' must say where the dates come from")
    holidays = raw.get("holidays")
    if not isinstance(holidays, list) or not holidays:
        raise fail("'holidays' must be a non-empty list")

    entries: dict[date, HolidayEntry] = {}
    for holiday in holidays:
        name = holiday.get("name") if isinstance(holiday, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise fail(f"a holiday without a name: {holiday!r}")
        off = _dates(holiday, OFF, fail)
        makeup = _dates(holiday, MAKEUP, fail)
        if not off:
            raise fail(f"{name}: no day off")
        if "days" in holiday and holiday["days"] != len(off):
            raise fail(f"{name}: the notice says {holiday['days']} days, {len(off)} are listed")
        for day in off:
            if day.year != year:
                raise fail(f"{name}: day off {day} is not in {year}")
        for day in makeup:
            # A make-up day may fall in the previous December (2012's was 2011-12-31).
            if day.year not in (year - 1, year):
                raise fail(f"{name}: make-up workday {day} is not in {year}")
            if day.weekday() < 5:
                raise fail(f"{name}: make-up workday {day} is not a Saturday or Sunday")
        for day, kind in [(d, OFF) for d in off] + [(d, MAKEUP) for d in makeup]:
            if day in entries:
                raise fail(f"{day} is listed twice ({entries[day].name} and {name})")
            entries[day] = HolidayEntry(day=day, kind=kind, name=name.strip())
    return YearFile(
        year=year,
        provisional=provisional,
        source=source.strip(),
        entries=tuple(sorted(entries.values(), key=lambda entry: entry.day)),
    )


def _dates(holiday: dict[str, Any], key: str, fail: Any) -> list[date]:
    values = holiday.get(key, [])
    if not isinstance(values, list):
        raise fail(f"{holiday['name']}: '{key}' must be a list of dates")
    days = []
    for value in values:
        try:
            days.append(date.fromisoformat(value))
        except (TypeError, ValueError):
            raise fail(f"{holiday['name']}: {value!r} is not a YYYY-MM-DD date") from None
    return days


def read_year_files(data_dir: Path = DATA_DIR) -> list[YearFile]:
    """Every cn-YYYY.json in ``data_dir``, oldest year first."""
    files = [read_year_file(path) for path in sorted(data_dir.glob("cn-*.json"))]
    days: dict[date, int] = {}
    for year_file in files:
        for entry in year_file.entries:
            if entry.day in days:
                raise HolidayFileError(
                    f"{entry.day} is in both cn-{days[entry.day]}.json and cn-{year_file.year}.json"
                )
            days[entry.day] = year_file.year
    return files


def calendar_from_files(data_dir: Path = DATA_DIR) -> WorkCalendar:
    """A WorkCalendar straight from the files, with the default working hours."""
    files = read_year_files(data_dir)
    entries = [entry for year_file in files for entry in year_file.entries]
    return WorkCalendar(
        off=frozenset(entry.day for entry in entries if entry.kind == OFF),
        makeup=frozenset(entry.day for entry in entries if entry.kind == MAKEUP),
        years=frozenset(year_file.year for year_file in files),
    )
