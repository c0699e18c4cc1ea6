"""Fixtures for the consultation tests: the matters' own (report, category, fresh_calendar)."""

from shuren.cases.tests.conftest import category, fresh_calendar, report  # noqa: F401
