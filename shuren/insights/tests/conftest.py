"""The matters' fixtures of cases' tests (report a matter as a named user), for insights; the
alert tests use their own (alert_support.py). Each test reads the lexicon of its own
(rolled-back) database state."""

import pytest

from shuren.cases.tests.conftest import category, fresh_calendar, report  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_lexicon():
    from shuren.insights.alert_raising import forget_lexicon  # the cache the handler keeps

    forget_lexicon()
    yield
    forget_lexicon()
