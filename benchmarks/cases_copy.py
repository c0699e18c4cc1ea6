"""Writing the benchmark's rows fast: COPY on PostgreSQL, executemany on SQLite; and dropping
the big tables' secondary indexes (and on PostgreSQL their foreign keys) before the load and
restoring exactly the same definitions after it, read back from the catalogue first."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from cases_world import Table
from django.db import connection, models

SQLITE_BATCH = 5000


@dataclass
class Dropped:
    indexes: list[tuple[str, str]] = field(default_factory=list)  # (name, CREATE INDEX …)
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)  # (table, name, def)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _fill(model: type[models.Model], columns: tuple[str, ...]) -> tuple[list[str], list[Any]]:
    """The columns the rows do not give, with their model defaults ready for the database.

    The benchmark names the columns it knows; any column another migration adds later gets its
    default, so the load keeps working as the model grows."""
    given = set(columns)
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.attname in given or f.primary_key:
            continue
        names.append(f.column)
        values.append(f.get_db_prep_save(f.get_default(), connection))
    return names, values


def write(table: Table) -> int:
    if not table.rows:
        return 0
    if is_postgresql():
        return _copy(table)
    return _insert_many(table)


def _copy(table: Table) -> int:
    model = table.model
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    columns = [by_attname[a].column for a in table.columns]
    extra_names, extra_values = _fill(model, table.columns)
    names = ", ".join(connection.ops.quote_name(c) for c in [*columns, *extra_names])
    extra = tuple(extra_values)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN"
        ) as copy:
            if extra:
                for row in table.rows:
                    copy.write_row(row + extra)
            else:
                for row in table.rows:
                    copy.write_row(row)
    return len(table.rows)


def _insert_many(table: Table) -> int:
    """SQLite: INSERT … executemany through Django's cursor, each value made ready by its field's
    own get_db_prep_save where the type needs it (dates, times, decimals, JSON).

    bulk_create wrote 16,000 rows/s here (model instances and per-object pre_save), which made
    a million cases with their timelines a ten-minute load; this keeps the field conversions and
    drops the instances."""
    model = table.model
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_attname[a] for a in table.columns]
    converters = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            # What Django's SQLite backend stores for an aware datetime (UTC, naive, ISO with a
            # space), without get_db_prep_save's 35 µs per value.
            converters.append(lambda v: str(v.astimezone(dt.UTC).replace(tzinfo=None)))
        elif isinstance(f, models.DateField | models.DecimalField):
            converters.append(lambda v, f=f: f.get_db_prep_save(v, connection))
        elif isinstance(f, models.JSONField):
            converters.append(lambda v, f=f: v if isinstance(v, str) else json.dumps(v))
        else:
            converters.append(None)
    convert = [(i, c) for i, c in enumerate(converters) if c is not None]
    extra_names, extra_values = _fill(model, table.columns)
    names = [f.column for f in fields] + extra_names
    extra = tuple(extra_values)
    qn = connection.ops.quote_name
    # Table and column names come from the model, never from input.
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(n) for n in names)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(names))})"
    )

    def ready(row: tuple[Any, ...]) -> tuple[Any, ...]:
        if not convert:
            return row + extra
        values = list(row)
        for i, c in convert:
            if values[i] is not None:
                values[i] = c(values[i])
        return tuple(values) + extra

    with connection.cursor() as cursor:
        for start in range(0, len(table.rows), SQLITE_BATCH):
            cursor.executemany(sql, [ready(r) for r in table.rows[start : start + SQLITE_BATCH]])
    return len(table.rows)


# --- Secondary indexes (and on PostgreSQL foreign keys) around the load ------------------------

INDEXES_SQL = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = %s
  AND NOT EXISTS (
    SELECT 1 FROM pg_constraint c
    WHERE c.conindid = x.indexrelid AND c.conrelid = t.oid AND c.contype IN ('p', 'u', 'x')
  )
ORDER BY i.relname
"""
FOREIGN_KEYS_SQL = """
SELECT conname, pg_get_constraintdef(oid)
FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname
"""


def drop_secondary(tables: list[str]) -> Dropped:
    """Drop every index that backs no primary key or unique constraint, and (PostgreSQL) every
    foreign key, on these tables; return their definitions for restore().

    SQLite keeps an index's CREATE statement in sqlite_master (NULL for the automatic ones of
    UNIQUE constraints, which stay); its foreign keys are part of the table and stay too."""
    dropped = Dropped()
    qn = connection.ops.quote_name
    if not is_postgresql():
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                    "AND sql IS NOT NULL ORDER BY name",
                    [table],
                )
                dropped.indexes.extend(cursor.fetchall())
            for name, _definition in dropped.indexes:
                cursor.execute(f"DROP INDEX {qn(name)}")
        return dropped
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(INDEXES_SQL, [table])
            for name, definition in cursor.fetchall():
                dropped.indexes.append((name, definition))
            cursor.execute(FOREIGN_KEYS_SQL, [table])
            for name, definition in cursor.fetchall():
                dropped.foreign_keys.append((table, name, definition))
        for table, name, _definition in dropped.foreign_keys:
            cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
        for name, _definition in dropped.indexes:
            cursor.execute(f"DROP INDEX {qn(name)}")
    return dropped


def restore(dropped: Dropped) -> None:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _name, definition in dropped.indexes:
            cursor.execute(definition)
        for table, name, definition in dropped.foreign_keys:
            cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """After rows with given primary keys, the next insert must not reuse one."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
