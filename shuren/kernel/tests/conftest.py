"""The kernel is exercised through the first capability built on it: matters."""

from shuren.cases.tests.conftest import category, fresh_calendar, report  # noqa: F401
