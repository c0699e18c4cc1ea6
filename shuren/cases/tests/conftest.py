"""Fixtures for the case tests: report a case as a named user at a named place, at a fixed time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shuren.cases.actions import report_case
from shuren.cases.models import Case, Category
from shuren.workdays.calendar import SHANGHAI
from shuren.workdays.current import invalidate_calendar

# Monday 2 March 2026, 10:00 in Guicheng: an ordinary working day.
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An Asia/Shanghai wall-clock moment."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def fresh_calendar():
    """Each test reads the holiday table of its own (rolled-back) database state."""
    invalidate_calendar()
    yield
    invalidate_calendar()


@pytest.fixture
def category(db):
    def _category(code: str = "neighbour-odour") -> Category:
        return Category.objects.get(code=code)

    return _category


@pytest.fixture
def report(world, category):
    """Report a case as a named user (their own place by default) and return it."""

    def _report(
        username: str = "demo-resident",
        place: str = "GC-JD-JYLW-B01-U1",
        *,
        category_code: str = "neighbour-odour",
        title: str = "楼下邻居晒咸鱼，气味很大",
        at: dt.datetime = MONDAY,
        **extra: Any,
    ) -> Case:
        return report_case(
            actor=world.user(username) if username else None,
            place=world.place(place),
            category=category(category_code),
            title=title,
            at=at,
            **extra,
        )

    return _report
