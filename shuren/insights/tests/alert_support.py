"""The alert tests' clock and their way of reporting a matter (a named user at a named place and
time); a module imports `report` from here to use it instead of cases' fixture."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shuren.cases.actions import report_case
from shuren.cases.models import Case, Category
from shuren.workdays.calendar import SHANGHAI

# Monday 30 March 2026, 10:00 in Guicheng: the sweeps' "now".
NOW = dt.datetime(2026, 3, 30, 10, 0, tzinfo=SHANGHAI)


def days_ago(n: float) -> dt.datetime:
    return NOW - dt.timedelta(days=n)


@pytest.fixture
def report(world):
    """Report a matter (by the resident of building 1 by default) and return it."""

    def _report(
        title: str = "楼上邻居深夜噪音",
        *,
        username: str | None = "demo-resident",
        place: str = "GC-JD-JYLW-B01-U1",
        category: str = "neighbour-noise",
        at: dt.datetime = NOW,
        **extra: Any,
    ) -> Case:
        return report_case(
            actor=world.user(username) if username else None,
            place=world.place(place),
            category=Category.objects.get(code=category),
            title=title,
            at=at,
            **extra,
        )

    return _report
