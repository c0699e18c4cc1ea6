"""Properties of the calendar arithmetic over 2024-2028, data years and fallback years alike."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from shuren.workdays.calendar import (
    SHANGHAI,
    add_working_days,
    add_working_hours,
    is_working_day,
    local_date,
    next_working_day,
    working_days_between,
)
from shuren.workdays.tests.conftest import FILE_CALENDAR as CAL

days = st.dates(min_value=date(2024, 10, 1), max_value=date(2028, 3, 31))
moments = st.builds(
    lambda d, t: datetime.combine(d, t, tzinfo=SHANGHAI),
    days,
    st.times().map(lambda t: t.replace(microsecond=0)),
)
counts = st.integers(min_value=0, max_value=60)
# Quarter hours are exact in binary floating point, so sums of them compare exactly.
quarter_hours = st.integers(min_value=0, max_value=400).map(lambda q: q / 4)

hypothesis_settings = settings(max_examples=200, deadline=None)


def effective_start(moment: datetime) -> date:
    day = local_date(moment)
    return day if is_working_day(CAL, day) else next_working_day(CAL, day)


def in_working_time(moment: datetime) -> bool:
    local = moment.astimezone(SHANGHAI)
    if not is_working_day(CAL, local.date()):
        return False
    clock = local.time()
    assert CAL.lunch is not None
    return CAL.workday_start <= clock <= CAL.lunch[0] or CAL.lunch[1] <= clock <= CAL.workday_end


@hypothesis_settings
@given(moments, counts)
def test_a_deadline_always_falls_on_a_working_day(start, n):
    assert is_working_day(CAL, local_date(add_working_days(CAL, start, n)))


@hypothesis_settings
@given(moments, counts, counts)
def test_more_working_days_never_give_an_earlier_deadline(start, n, m):
    n, m = sorted((n, m))
    if n == m:
        assert add_working_days(CAL, start, n) == add_working_days(CAL, start, m)
    else:
        assert add_working_days(CAL, start, n) < add_working_days(CAL, start, m)


@hypothesis_settings
@given(moments, counts)
def test_counting_back_from_the_deadline_gives_n(start, n):
    deadline = local_date(add_working_days(CAL, start, n))
    assert working_days_between(CAL, effective_start(start), deadline) == n
    assert working_days_between(CAL, deadline, effective_start(start)) == -n


@hypothesis_settings
@given(moments, counts)
def test_a_deadline_on_a_working_day_keeps_the_clock_time(start, n):
    deadline = add_working_days(CAL, start, n).astimezone(SHANGHAI)
    if is_working_day(CAL, start.date()):
        assert deadline.time() == start.time()
    else:
        assert deadline.time() == CAL.workday_start


@hypothesis_settings
@given(days, days)
def test_working_days_between_matches_counting_day_by_day(a, b):
    lo, hi = sorted((a, b))
    by_hand = sum(is_working_day(CAL, lo + timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert working_days_between(CAL, lo, hi) == by_hand
    assert working_days_between(CAL, hi, lo) == -by_hand


@hypothesis_settings
@given(days, days, days)
def test_working_days_between_adds_up(a, b, c):
    assert working_days_between(CAL, a, b) + working_days_between(CAL, b, c) == (
        working_days_between(CAL, a, c)
    )


@hypothesis_settings
@given(days)
def test_the_next_working_day_is_one_working_day_later(d):
    following = next_working_day(CAL, d)
    assert following > d
    assert is_working_day(CAL, following)
    assert working_days_between(CAL, d, following) == 1


@hypothesis_settings
@given(moments, quarter_hours)
def test_working_hours_end_inside_working_time(start, hours):
    deadline = add_working_hours(CAL, start, hours)
    assert deadline >= start
    if hours > 0:
        assert in_working_time(deadline)


@hypothesis_settings
@given(moments, quarter_hours, quarter_hours)
def test_working_hours_add_up(start, first, second):
    if first == 0:
        return  # zero hours keep a start outside working time where it is
    assert add_working_hours(CAL, start, first + second) == add_working_hours(
        CAL, add_working_hours(CAL, start, first), second
    )


@hypothesis_settings
@given(days, st.integers(min_value=1, max_value=30))
def test_whole_working_days_of_hours_from_the_morning_end_at_closing_time(d, k):
    if not is_working_day(CAL, d):
        d = next_working_day(CAL, d)
    start = datetime.combine(d, CAL.workday_start, tzinfo=SHANGHAI)
    deadline = add_working_hours(CAL, start, k * CAL.hours_per_day).astimezone(SHANGHAI)
    assert deadline.time() == CAL.workday_end
    # k days of hours end on the day k-1 working days after the start.
    assert working_days_between(CAL, d, deadline.date()) == k - 1
    assert deadline.time() == time(18)
