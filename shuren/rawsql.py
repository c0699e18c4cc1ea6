"""Hand-written SQL for the few statements every request runs, converted as the ORM would.

Why: on the 2-CPU server the ORM spends 0.6-1.5 ms of Python building a SELECT with a join,
for a statement PostgreSQL answers in 0.1 ms (docs/performance.md, "Intake"). The token check
and a user's standing run on every API call, so they are written out once here; everything
else stays in the ORM. The SQL is portable (SQLite and PostgreSQL) and each statement is
tested on both databases against the ORM query it replaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, models

M = TypeVar("M", bound=models.Model)
Converter = Callable[[Any, Any, Any], Any]


def rows(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run one statement; on PostgreSQL as a prepared statement (see _prepared_cursor)."""
    with _prepared_cursor() if _prepares() else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _prepares() -> bool:
    return connection.vendor == "postgresql" and getattr(settings, "SHUREN_PG_PREPARE", True)


def _prepared_cursor() -> Any:
    """A cursor whose statements PostgreSQL plans once per connection and then reuses.

    Planning these joins costs PostgreSQL 0.5-1 ms each time, ten times their execution;
    Django keeps psycopg from preparing anything (for transaction-mode poolers), so these few
    statements ask for it themselves, through Django's cursor wrapper so they are counted,
    logged and their errors translated like any other. Set SHUREN_PG_PREPARE=false behind a
    pooler that does not keep prepared statements (PgBouncer before 1.21 in transaction mode).
    """
    connection.ensure_connection()
    with connection.wrap_database_errors:
        cursor = _prepared_cursor_class()(connection.connection)
        cursor.logged = connection.queries_logged
        # _prepare_cursor is how Django's own cursor() wraps a new cursor (debug logging,
        # thread check); a public way to wrap a cursor of one's own does not exist.
        return connection._prepare_cursor(cursor)  # type: ignore[attr-defined]


@cache
def _prepared_cursor_class() -> type:
    import psycopg  # only on PostgreSQL: the embedded SQLite default runs without it loaded

    class PreparedCursor(psycopg.Cursor):  # type: ignore[type-arg]
        logged = False

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            kwargs.setdefault("prepare", True)
            result = super().execute(query, params, **kwargs)
            if self.logged and self._query is None:
                # Django's query log (tests, DEBUG) reads the statement from _query, which
                # psycopg leaves unset for a prepared statement: the text with $1, $2 ….
                self._query = self._convert_query(query, params)
            return result

    return PreparedCursor


class _Table:
    """One model in a statement: `{c}` is its table with the alias, `{c.place}` a column."""

    def __init__(self, model: type[models.Model], alias: str) -> None:
        self.model, self.alias = model, alias

    def __format__(self, spec: str) -> str:
        return f"{connection.ops.quote_name(self.model._meta.db_table)} {self.alias}"

    def __getattr__(self, name: str) -> str:
        return f"{self.alias}.{name_of_column(self.model, name)}"


def name_of_column(model: type[models.Model], field: str) -> str:
    found = model._meta.get_field(field)
    for concrete in model._meta.concrete_fields:  # not a many-to-many or reverse relation
        if concrete is found:
            return connection.ops.quote_name(concrete.column)
    raise ValueError(f"{model.__name__}.{field} has no column of its own")


def name(model: type[models.Model], field: str | None = None) -> str:
    """The quoted name of the model's table, or of one field's column (for a statement whose
    form a table alias does not fit, like UPDATE … SET)."""
    if field is None:
        return connection.ops.quote_name(model._meta.db_table)
    return name_of_column(model, field)


def sql(template: str, **tables: type[models.Model]) -> str:
    """A statement with its table and column names taken from the models' _meta, so a renamed
    field or table cannot leave a hand-written statement behind: `{c}` is the table of the
    model given as `c` with its alias, `{c.place}` the column of its field `place`."""
    return _sql(template, tuple(sorted(tables.items())), connection.vendor)


@cache
def _sql(template: str, tables: tuple[tuple[str, type[models.Model]], ...], vendor: str) -> str:
    return template.format(**{alias: _Table(model, alias) for alias, model in tables})


def date_param(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def datetime_param(value: dt.datetime) -> Any:
    # SQLite stores naive UTC text; PostgreSQL takes the aware value as it is.
    return connection.ops.adapt_datetimefield_value(value)


@cache
def _converters(model: type[models.Model], attnames: tuple[str, ...], vendor: str) -> tuple:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    out = []
    for name in attnames:
        field = by_attname[name]
        col = field.get_col(model._meta.db_table)
        backend = connection.ops.get_db_converters(col)
        own = field.get_db_converters(connection)  # type: ignore[attr-defined]
        out.append((col, tuple(backend + own)))
    return tuple(out)


def columns(model: type[models.Model], alias: str) -> tuple[tuple[str, ...], str]:
    """The model's concrete attnames and the matching select list for `alias`."""
    fields = model._meta.concrete_fields
    return (
        tuple(f.attname for f in fields),
        ", ".join(f"{alias}.{connection.ops.quote_name(f.column)}" for f in fields),
    )


def instance(model: type[M], attnames: tuple[str, ...], values: Sequence[Any]) -> M:
    """A model instance from one row, each value converted as the ORM's compiler would."""
    by_name = {}
    for name, value, (col, converters) in zip(
        attnames, values, _converters(model, attnames, connection.vendor), strict=True
    ):
        for convert in converters:
            value = convert(value, col, connection)
        by_name[name] = value
    # from_db() takes the values in the model's field order, whatever order the SELECT had.
    ordered = [f.attname for f in model._meta.concrete_fields if f.attname in by_name]
    return model.from_db(connection.alias, ordered, [by_name[name] for name in ordered])


@cache
def _by_pk_sql(model: type[models.Model], vendor: str) -> tuple[tuple[str, ...], str]:
    attnames, select = columns(model, "t")
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    return attnames, f"SELECT {select} FROM {table} t WHERE t.{pk} = %s"  # noqa: S608


def by_pk(model: type[M], pk: int) -> M | None:
    """`model.objects.filter(pk=pk).first()` without a filter to compile: for the one row a
    hot endpoint looks up by id (the place of a report)."""
    attnames, sql = _by_pk_sql(model, connection.vendor)
    found = rows(sql, [pk])
    return instance(model, attnames, found[0]) if found else None
