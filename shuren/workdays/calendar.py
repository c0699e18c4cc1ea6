"""Working-day arithmetic on the Chinese calendar: pure functions over an immutable WorkCalendar.

Conventions, chosen once and used everywhere (rules-cn.md section 3):

- A day is a working day when it is a make-up workday (调休上班), or a Monday to Friday that
  is not a day off. Everything else (weekends, holiday periods) is not.
- Calendar arithmetic happens on the Asia/Shanghai wall clock (no daylight saving there since
  1991, so wall-clock and elapsed time agree). Inputs must be aware datetimes; results are
  aware datetimes in UTC, the way they are stored.
- Working hours are one or two intervals a day: ``workday_start`` to ``workday_end`` minus an
  optional lunch break (default 09:00-12:00 and 13:30-18:00, 7.5 hours). Only
  ``add_working_hours`` uses them; day deadlines keep the clock time of their start.
- Outside the years the calendar has data for, days fall back to weekends-only and a warning is
  logged once per year per process: a deadline is still computed, never refused.
"""

from __future__ import annotations

import bisect
import logging
import math
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)
# A holiday period is at most nine days long (2026 Spring Festival); a year of days without a
# working day means the calendar data is broken, not that the answer is far away.
_MAX_SEARCH_DAYS = 366


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Days off and make-up workdays, the years they are known for, and the working hours."""

    off: frozenset[date] = frozenset()
    makeup: frozenset[date] = frozenset()
    workday_start: time = time(9)
    workday_end: time = time(18)
    lunch: tuple[time, time] | None = (time(12), time(13, 30))
    # The years whose arrangement is known. None means: the years of the listed days.
    years: frozenset[int] | None = None
    # Derived, for counting with bisect instead of walking day by day.
    _off_weekdays: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _makeup_sorted: tuple[date, ...] = field(init=False, repr=False, compare=False)
    _intervals: tuple[tuple[time, time], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        off, makeup = frozenset(self.off), frozenset(self.makeup)
        if any(isinstance(d, datetime) for d in off | makeup):
            raise TypeError("WorkCalendar days must be dates, not datetimes")
        if both := off & makeup:
            raise ValueError(f"days both off and make-up workdays: {sorted(both)}")
        if weekdays := sorted(d for d in makeup if d.weekday() < 5):
            raise ValueError(f"make-up workdays must be Saturdays or Sundays: {weekdays}")
        if not self.workday_start < self.workday_end:
            raise ValueError("the working day must start before it ends")
        intervals: tuple[tuple[time, time], ...]
        if self.lunch is not None:
            lunch_start, lunch_end = self.lunch
            if not self.workday_start < lunch_start < lunch_end < self.workday_end:
                raise ValueError("lunch must lie inside the working day")
            intervals = ((self.workday_start, lunch_start), (lunch_end, self.workday_end))
        else:
            intervals = ((self.workday_start, self.workday_end),)
        years = self.years
        if years is None:
            years = frozenset(d.year for d in off | makeup)
        object.__setattr__(self, "off", off)
        object.__setattr__(self, "makeup", makeup)
        object.__setattr__(self, "years", frozenset(years))
        object.__setattr__(self, "_off_weekdays", tuple(sorted(d for d in off if d.weekday() < 5)))
        object.__setattr__(self, "_makeup_sorted", tuple(sorted(makeup)))
        object.__setattr__(self, "_intervals", intervals)

    @property
    def hours_per_day(self) -> float:
        """Working hours in one working day (7.5 with the defaults)."""
        return sum(_seconds(start, end) for start, end in self._intervals) / 3600


def _seconds(start: time, end: time) -> float:
    return (datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds()


# --- The years without data -----------------------------------------------------------------

_warned_years: set[int] = set()
_warned_lock = threading.Lock()


def _warn_uncovered(cal: WorkCalendar, years: Iterable[int]) -> None:
    assert cal.years is not None
    for year in years:
        if year in cal.years or year in _warned_years:
            continue
        with _warned_lock:
            if year in _warned_years:
                continue
            _warned_years.add(year)
        logger.warning(
            "No holiday calendar for %s: counting weekends only. Add "
            "shuren/workdays/data/cn-%s.json and run manage.py loadholidays.",
            year,
            year,
        )


# --- Days -----------------------------------------------------------------------------------


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware datetime."""
    return _local(moment).date()


def is_working_day(cal: WorkCalendar, d: date) -> bool:
    """Whether ``d`` is a working day: a make-up workday, or a weekday that is not off."""
    if isinstance(d, datetime):
        # A datetime is a date subclass that never equals a date: it would silently miss
        # every holiday.
        raise TypeError("is_working_day takes a date; use local_date(moment) for a datetime")
    _warn_uncovered(cal, (d.year,))
    if d in cal.makeup:
        return True
    if d in cal.off:
        return False
    return d.weekday() < 5


def next_working_day(cal: WorkCalendar, d: date) -> date:
    """The first working day strictly after ``d``."""
    candidate = d
    for _ in range(_MAX_SEARCH_DAYS):
        candidate += ONE_DAY
        if is_working_day(cal, candidate):
            return candidate
    raise ValueError(f"no working day within a year after {d}: the calendar data is broken")


def working_days_between(cal: WorkCalendar, a: date, b: date) -> int:
    """Working days in the half-open range (a, b]: after ``a``, up to and including ``b``.

    Negative when ``b`` is before ``a``, so that ``working_days_between(cal, a, b) ==
    -working_days_between(cal, b, a)``. For a working day ``a``, the n-th working day after it
    is the ``b`` for which this returns n, which is how ``add_working_days`` counts.
    """
    if isinstance(a, datetime) or isinstance(b, datetime):
        raise TypeError("working_days_between takes dates; use local_date(moment)")
    if b < a:
        return -working_days_between(cal, b, a)
    if b > a:
        _warn_uncovered(cal, range((a + ONE_DAY).year, b.year + 1))
    weekdays = _weekdays_up_to(b) - _weekdays_up_to(a)
    off = bisect.bisect_right(cal._off_weekdays, b) - bisect.bisect_right(cal._off_weekdays, a)
    makeup = bisect.bisect_right(cal._makeup_sorted, b) - bisect.bisect_right(cal._makeup_sorted, a)
    return weekdays - off + makeup


def _weekdays_up_to(d: date) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday) through ``d``."""
    weeks, rest = divmod(d.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


# --- Deadlines ------------------------------------------------------------------------------


def _local(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError("expected an aware datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: calendar arithmetic needs an aware datetime")
    return moment.astimezone(SHANGHAI)


def add_working_days(cal: WorkCalendar, start: datetime, n: int) -> datetime:
    """The deadline ``n`` working days after ``start``, at the same Asia/Shanghai clock time.

    A matter received on a working day at 10:00 with n=2 is due at 10:00 on the second working
    day after that day. A matter received on a day that is not a working day counts as received
    at ``workday_start`` of the next working day (the way 12345 treats holiday intake), and the
    n working days run from there; so n=0 gives that next working day's start. ``n`` must not be
    negative. The result is an aware datetime in UTC.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("n must be a whole number of working days")
    if n < 0:
        raise ValueError("n must not be negative")
    local = _local(start)
    day, clock = local.date(), local.time()
    if not is_working_day(cal, day):
        day, clock = next_working_day(cal, day), cal.workday_start
    for _ in range(n):
        day = next_working_day(cal, day)
    return datetime.combine(day, clock, tzinfo=SHANGHAI).astimezone(UTC)


def add_working_hours(cal: WorkCalendar, start: datetime, hours: float) -> datetime:
    """The moment when ``hours`` of working time have passed since ``start``.

    Only time inside the working intervals of working days counts (Asia/Shanghai wall clock).
    A start outside working time begins counting at the next working interval. A deadline that
    ends exactly where an interval ends is that end (12:00, 18:00), not the next start. Zero
    hours returns ``start`` itself. The result is an aware datetime in UTC.
    """
    if isinstance(hours, bool) or not isinstance(hours, int | float):
        raise TypeError("hours must be a number")
    if not math.isfinite(hours) or hours < 0:
        raise ValueError("hours must be a finite number, not negative")
    local = _local(start)
    remaining = timedelta(hours=hours)
    if not remaining:
        return local.astimezone(UTC)
    day, not_before = local.date(), local
    # Whole working days could be skipped arithmetically, but deadlines are a few days long
    # and this loop is easy to check by eye.
    for _ in range(_MAX_SEARCH_DAYS * 100):
        if is_working_day(cal, day):
            for interval_start, interval_end in cal._intervals:
                begin = max(datetime.combine(day, interval_start, tzinfo=SHANGHAI), not_before)
                end = datetime.combine(day, interval_end, tzinfo=SHANGHAI)
                if begin >= end:
                    continue
                if remaining <= end - begin:
                    return (begin + remaining).astimezone(UTC)
                remaining -= end - begin
        day += ONE_DAY
        not_before = datetime.combine(day, time.min, tzinfo=SHANGHAI)
    raise ValueError("too many working hours to count")
