"""The last line against hostile input: no statement reaches the database with a NUL in its text
or a whole number no column holds. Forms and schemas refuse such values first, field by field
(shuren/text.py); whatever a view reads past them (a raw query parameter, django-axes's copy of a
failed login's form) makes the request a 400 here, not a 500 from PostgreSQL, and nothing of it
is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import connection
from django.http import HttpRequest, HttpResponse

from shuren.text import fits_integer


class UnsafeInput(SuspiciousOperation):
    """Django answers it with handler400 and logs it to django.security.UnsafeInput."""


def _refuse_unsafe(values: Iterable[Any]) -> None:
    for value in values:
        if isinstance(value, str):
            if "\x00" in value:
                raise UnsafeInput("a NUL character in a query parameter")
        elif isinstance(value, int):
            if not fits_integer(value):
                raise UnsafeInput("a number larger than a database integer")
        elif isinstance(value, list | tuple):
            _refuse_unsafe(value)


def guard_statement(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """A connection.execute_wrapper: checks the parameters, then runs the statement."""
    if params:
        rows = params if many else (params,)
        for row in rows:
            _refuse_unsafe(row.values() if isinstance(row, dict) else row)
    return execute(sql, params, many, context)


class InputGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with connection.execute_wrapper(guard_statement):
            return self.get_response(request)
