"""The calendar in use: the HolidayDay table as a WorkCalendar, kept per process for a minute.

calendar.py holds the pure arithmetic (tested without the ORM); this module reads the table.
"""

from __future__ import annotations

import time as monotonic_clock
from datetime import date

from shuren.workdays.calendar import WorkCalendar
from shuren.workdays.models import HolidayDay, HolidayKind

# Holiday edits happen a few times a year, while deadlines are computed on every intake and in
# every sweep. So each process keeps the calendar for CACHE_SECONDS; the admin and the loader
# drop this process's copy at once (invalidate_calendar), other processes (the second gunicorn
# worker, the task worker) pick the change up within CACHE_SECONDS. No signals: the two places
# that write HolidayDay call invalidate_calendar explicitly.
CACHE_SECONDS = 60.0
_cached: tuple[float, WorkCalendar] | None = None


def current_calendar() -> WorkCalendar:
    """The calendar from the HolidayDay table, loaded at most once per CACHE_SECONDS."""
    global _cached
    now = monotonic_clock.monotonic()
    cached = _cached
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    calendar = _calendar_from_database()
    _cached = (now, calendar)
    return calendar


def invalidate_calendar() -> None:
    """Forget this process's cached calendar; the next current_calendar() reads the table."""
    global _cached
    _cached = None


def _calendar_from_database() -> WorkCalendar:
    off: set[date] = set()
    makeup: set[date] = set()
    years: set[int] = set()
    for day, kind, year in HolidayDay.objects.values_list("date", "kind", "year"):
        (makeup if kind == HolidayKind.MAKEUP else off).add(day)
        years.add(year)
    return WorkCalendar(off=frozenset(off), makeup=frozenset(makeup), years=frozenset(years))
