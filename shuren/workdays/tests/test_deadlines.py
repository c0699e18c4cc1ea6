"""Concrete deadlines across the 2025-2027 holidays, checked by hand against the notices."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time

import pytest

from shuren.workdays.calendar import (
    SHANGHAI,
    WorkCalendar,
    add_working_days,
    add_working_hours,
    is_working_day,
    local_date,
    next_working_day,
    working_days_between,
)
from shuren.workdays.tests.conftest import sh

# --- Which days are working days -----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 1), False),  # 元旦, a Wednesday
        (date(2025, 1, 26), True),  # Sunday make-up day before 春节
        (date(2025, 1, 28), False),  # 除夕
        (date(2025, 2, 4), False),  # 正月初七, last day of 春节
        (date(2025, 2, 5), True),
        (date(2025, 2, 8), True),  # Saturday make-up day after 春节
        (date(2025, 4, 27), True),  # Sunday make-up day before 劳动节
        (date(2025, 5, 5), False),
        (date(2025, 6, 2), False),  # 端午 Monday
        (date(2025, 9, 27), False),  # an ordinary Saturday
        (date(2025, 9, 28), True),  # Sunday make-up day before 国庆
        (date(2025, 10, 8), False),
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),  # Saturday make-up day after 国庆
        (date(2026, 1, 2), False),
        (date(2026, 1, 4), True),  # Sunday make-up day after 元旦
        (date(2026, 2, 14), True),  # Saturday make-up day before 春节
        (date(2026, 2, 16), False),  # 除夕, a Monday
        (date(2026, 2, 23), False),  # 正月初七, a Monday
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),  # Saturday make-up day after 春节
        (date(2026, 4, 6), False),  # 清明 Monday
        (date(2026, 5, 9), True),
        (date(2026, 6, 19), False),  # 端午 Friday
        (date(2026, 9, 20), True),
        (date(2026, 9, 25), False),  # 中秋 Friday
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),
        (date(2027, 2, 9), False),  # provisional: 补假 for 初一 on a Saturday
        (date(2027, 2, 11), True),  # provisional: no make-up guessed
        (date(2027, 6, 9), False),  # 端午 on a Wednesday: that day only
    ],
)
def test_a_day_is_a_working_day_as_the_notice_says(cal, day, working):
    assert is_working_day(cal, day) is working


def test_a_datetime_is_refused_where_a_date_is_meant(cal):
    with pytest.raises(TypeError):
        is_working_day(cal, sh(2025, 10, 1, 10))


def test_local_date_is_the_shanghai_date_not_the_utc_date():
    assert local_date(datetime(2025, 9, 30, 17, 0, tzinfo=UTC)) == date(2025, 10, 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 9, 26), date(2025, 9, 28)),  # Friday → the Sunday make-up day
        (date(2025, 9, 30), date(2025, 10, 9)),  # across the eight-day National Day break
        (date(2025, 10, 1), date(2025, 10, 9)),
        (date(2026, 2, 13), date(2026, 2, 14)),
        (date(2026, 2, 14), date(2026, 2, 24)),  # across the nine-day Spring Festival
        (date(2025, 12, 31), date(2026, 1, 4)),  # across the year and 元旦
    ],
)
def test_next_working_day_is_strictly_after(cal, day, expected):
    assert next_working_day(cal, day) == expected


# --- Working days ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, sh(2025, 9, 26, 10)),
        (1, sh(2025, 9, 28, 10)),  # Sunday 9/28 is a make-up workday
        # The brief guessed Tuesday 9/30 for n=2; with 9/28 counted it is Monday 9/29.
        (2, sh(2025, 9, 29, 10)),
        (3, sh(2025, 9, 30, 10)),
        (4, sh(2025, 10, 9, 10)),  # 10/1-10/8 off
        (5, sh(2025, 10, 10, 10)),
        (6, sh(2025, 10, 11, 10)),  # Saturday 10/11 is a make-up workday
        (7, sh(2025, 10, 13, 10)),
    ],
)
def test_working_days_from_friday_before_national_day_2025(cal, n, expected):
    assert add_working_days(cal, sh(2025, 9, 26, 10), n) == expected


def test_a_complaint_received_before_national_day_is_due_fifteen_working_days_later(cal):
    # Guangdong 12345: complaint/report 15 working days.
    assert add_working_days(cal, sh(2025, 9, 22, 9, 30), 15) == sh(2025, 10, 17, 9, 30)


def test_a_matter_received_during_the_holiday_counts_from_the_next_working_morning(cal):
    start = sh(2025, 10, 3, 15, 20)
    assert add_working_days(cal, start, 0) == sh(2025, 10, 9, 9)
    assert add_working_days(cal, start, 1) == sh(2025, 10, 10, 9)
    assert add_working_days(cal, start, 2) == sh(2025, 10, 11, 9)


def test_an_ordinary_saturday_counts_from_the_make_up_sunday_after_it(cal):
    assert add_working_days(cal, sh(2025, 9, 27, 22), 1) == sh(2025, 9, 29, 9)


def test_a_matter_received_on_a_make_up_day_keeps_its_clock_time(cal):
    assert add_working_days(cal, sh(2025, 9, 28, 14, 5), 1) == sh(2025, 9, 29, 14, 5)


def test_the_local_date_decides_not_the_utc_date(cal):
    # 2025-09-30 17:00 UTC is 01:00 on 10/1 in Guicheng: a holiday.
    start = datetime(2025, 9, 30, 17, 0, tzinfo=UTC)
    assert add_working_days(cal, start, 0) == sh(2025, 10, 9, 9)
    # 2025-09-29 23:00 UTC is 07:00 on Tuesday 9/30: a working day.
    assert add_working_days(cal, datetime(2025, 9, 29, 23, 0, tzinfo=UTC), 1) == sh(2025, 10, 9, 7)


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, sh(2026, 2, 14, 10)),  # Saturday make-up day
        (2, sh(2026, 2, 24, 10)),  # 2/15-2/23 off
        (5, sh(2026, 2, 27, 10)),
        (6, sh(2026, 2, 28, 10)),  # Saturday make-up day
        (7, sh(2026, 3, 2, 10)),
    ],
)
def test_working_days_across_spring_festival_2026(cal, n, expected):
    assert add_working_days(cal, sh(2026, 2, 13, 10), n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, sh(2025, 1, 26, 17)),  # Sunday make-up day
        (2, sh(2025, 1, 27, 17)),
        (3, sh(2025, 2, 5, 17)),  # 1/28-2/4 off
        (6, sh(2025, 2, 8, 17)),  # Saturday make-up day
    ],
)
def test_working_days_across_spring_festival_2025(cal, n, expected):
    assert add_working_days(cal, sh(2025, 1, 24, 17), n) == expected


def test_working_days_across_may_day_2026(cal):
    assert add_working_days(cal, sh(2026, 4, 30, 11), 1) == sh(2026, 5, 6, 11)
    assert add_working_days(cal, sh(2026, 4, 30, 11), 4) == sh(2026, 5, 9, 11)


def test_working_days_across_new_year_2026(cal):
    assert add_working_days(cal, sh(2025, 12, 31, 11), 1) == sh(2026, 1, 4, 11)


def test_working_days_across_the_provisional_spring_festival_2027(cal):
    assert add_working_days(cal, sh(2027, 2, 4, 10), 1) == sh(2027, 2, 11, 10)


def test_results_are_aware_and_in_utc(cal):
    result = add_working_days(cal, sh(2025, 9, 26, 10), 2)
    assert result.tzinfo is UTC
    assert result == datetime(2025, 9, 29, 2, 0, tzinfo=UTC)


def test_a_naive_start_is_refused(cal):
    with pytest.raises(ValueError, match="naive"):
        add_working_days(cal, datetime(2025, 9, 26, 10), 1)  # noqa: DTZ001 - the point


def test_negative_working_days_are_refused(cal):
    with pytest.raises(ValueError, match="negative"):
        add_working_days(cal, sh(2025, 9, 26, 10), -1)


# --- Counting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "count"),
    [
        (date(2025, 9, 26), date(2025, 9, 26), 0),
        (date(2025, 9, 26), date(2025, 9, 28), 1),
        (date(2025, 9, 26), date(2025, 10, 10), 5),
        (date(2025, 10, 10), date(2025, 9, 26), -5),
        (date(2026, 2, 13), date(2026, 2, 28), 6),
        (date(2025, 9, 30), date(2025, 10, 8), 0),
        # A whole year: 261 weekdays less the 13 statutory days; 调休 moves days, never adds.
        (date(2024, 12, 31), date(2025, 12, 31), 248),
        (date(2025, 12, 31), date(2026, 12, 31), 248),
        (date(2026, 12, 31), date(2027, 12, 31), 248),
    ],
)
def test_working_days_between_counts_after_a_up_to_b(cal, a, b, count):
    assert working_days_between(cal, a, b) == count


# --- Working hours --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (sh(2025, 9, 29, 10), 2, sh(2025, 9, 29, 12)),  # ends exactly at lunch
        (sh(2025, 9, 29, 10), 2.5, sh(2025, 9, 29, 14)),  # lunch 12:00-13:30 does not count
        (sh(2025, 9, 29, 12, 30), 1, sh(2025, 9, 29, 14, 30)),  # starts during lunch
        (sh(2025, 9, 29, 7), 1, sh(2025, 9, 29, 10)),  # starts before work
        (sh(2025, 9, 29, 17), 1, sh(2025, 9, 29, 18)),  # ends exactly at closing time
        (sh(2025, 9, 30, 17), 2, sh(2025, 10, 9, 10)),  # across National Day
        (sh(2025, 9, 27, 20), 1, sh(2025, 9, 28, 10)),  # Saturday night → make-up Sunday
        (sh(2025, 9, 29, 9), 24, sh(2025, 10, 10, 10, 30)),  # 7.5 + 7.5 + 7.5 + 1.5
        (sh(2026, 2, 13, 16), 4, sh(2026, 2, 14, 11)),  # 2 h Friday, 2 h on make-up Saturday
        (sh(2025, 10, 2, 10), 0, sh(2025, 10, 2, 10)),  # zero hours: the start itself
    ],
)
def test_working_hours_count_only_office_time(cal, start, hours, expected):
    assert add_working_hours(cal, start, hours) == expected


def test_without_a_lunch_break_a_day_has_nine_hours():
    plain = WorkCalendar(lunch=None)
    assert plain.hours_per_day == 9
    assert add_working_hours(plain, sh(2030, 1, 7, 9), 9) == sh(2030, 1, 7, 18)


def test_the_default_working_day_has_seven_and_a_half_hours(cal):
    assert cal.hours_per_day == 7.5
    assert cal.workday_start == time(9)


@pytest.mark.parametrize("hours", [-1, float("nan"), float("inf")])
def test_impossible_hours_are_refused(cal, hours):
    with pytest.raises(ValueError, match="hours"):
        add_working_hours(cal, sh(2025, 9, 29, 10), hours)


# --- Outside the data years -----------------------------------------------------------------


def test_outside_the_data_years_weekends_only_with_one_warning(cal, caplog):
    caplog.set_level(logging.WARNING, logger="shuren.workdays.calendar")
    assert add_working_days(cal, sh(2027, 12, 31, 10), 1) == sh(2028, 1, 3, 10)
    assert add_working_days(cal, sh(2028, 1, 3, 10), 1) == sh(2028, 1, 4, 10)
    assert is_working_day(cal, date(2028, 10, 2))  # a Monday; no notice known
    warnings = [r for r in caplog.records if "2028" in r.getMessage()]
    assert len(warnings) == 1


def test_the_years_before_the_data_fall_back_too(cal, caplog):
    caplog.set_level(logging.WARNING, logger="shuren.workdays.calendar")
    assert add_working_days(cal, sh(2024, 12, 27, 10), 2) == sh(2024, 12, 31, 10)
    assert any("2024" in r.getMessage() for r in caplog.records)


# --- The calendar value itself --------------------------------------------------------------


def test_a_day_cannot_be_both_off_and_a_make_up_day():
    with pytest.raises(ValueError, match="both"):
        WorkCalendar(off=frozenset({date(2025, 9, 28)}), makeup=frozenset({date(2025, 9, 28)}))


def test_a_make_up_day_on_a_weekday_is_refused():
    with pytest.raises(ValueError, match="Saturdays or Sundays"):
        WorkCalendar(makeup=frozenset({date(2025, 9, 29)}))


def test_lunch_must_lie_inside_the_working_day():
    with pytest.raises(ValueError, match="lunch"):
        WorkCalendar(lunch=(time(8), time(9, 30)))


def test_results_come_back_in_utc_for_any_input_zone(cal):
    start = sh(2025, 9, 26, 10).astimezone(UTC)
    assert add_working_hours(cal, start, 1).tzinfo is UTC
    assert add_working_hours(cal, start, 1).astimezone(SHANGHAI) == sh(2025, 9, 26, 11)
