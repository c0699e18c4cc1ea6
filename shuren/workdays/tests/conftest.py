"""Fixtures for the calendar tests: the calendar the files define, and a clean process state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from shuren.workdays import calendar, current
from shuren.workdays.calendar import SHANGHAI, WorkCalendar
from shuren.workdays.sources import calendar_from_files

FILE_CALENDAR = calendar_from_files()


@pytest.fixture
def cal() -> WorkCalendar:
    return FILE_CALENDAR


@pytest.fixture(autouse=True)
def fresh_calendar_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with no cached calendar and no years already warned about."""
    monkeypatch.setattr(calendar, "_warned_years", set())
    current.invalidate_calendar()
    yield
    current.invalidate_calendar()


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An Asia/Shanghai wall-clock moment."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)
