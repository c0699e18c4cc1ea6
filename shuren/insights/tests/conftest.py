"""The matters' fixtures of cases' tests (report a matter as a named user), for insights."""

from shuren.cases.tests.conftest import category, fresh_calendar, report  # noqa: F401
