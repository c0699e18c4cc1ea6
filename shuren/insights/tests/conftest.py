"""The matters' fixtures of cases' tests (report a matter as a named user), for insights; the
alert tests report their own way (alert_report, below). Each test reads the lexicon of its own
(rolled-back) database state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shuren.cases.actions import report_case
from shuren.cases.models import Case, Category
from shuren.cases.tests import conftest as cases_fixtures
from shuren.insights.tests.alert_support import NOW

# Cases' fixtures (report a matter as a named user, the calendar kept fresh), for insights.
category = cases_fixtures.category
report = cases_fixtures.report
fresh_calendar = cases_fixtures.fresh_calendar


@pytest.fixture(autouse=True)
def _fresh_lexicon():
    from shuren.insights.alert_raising import forget_lexicon  # the cache the handler keeps

    forget_lexicon()
    yield
    forget_lexicon()


@pytest.fixture
def alert_report(world):
    """The alert tests' way to report a matter: its title first, by the resident of building 1
    by default, at the sweeps' "now" (alert_support.NOW) unless told."""

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
