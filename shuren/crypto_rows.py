"""Converting stored rows of encrypted columns in bulk: the migrations that seal plaintext and
open it again, and `manage.py rotatekeys` (re-seal under the current key, rebuild the blind
indexes). A leaf beside shuren/crypto.py, working on raw column values so it serves a migration
(whose columns may still hold plaintext) as well as the running application.

Rows are read in primary-key order, a batch at a time (keyset: `WHERE id > last`), and only the
rows that change are written, one statement per batch: millions of rows in bounded memory, no
query per row, and a second run over converted rows writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from shuren.crypto import (
    BlindIndexField,
    EncryptedTextField,
    blind_index,
    decrypt,
    encrypt,
    is_sealed,
    key_id_of,
    keyring,
)

BATCH = 2000


@dataclass(frozen=True)
class SealedColumn:
    """A column holding sealed values; ``label`` is the associated data ("people.Person.phone");
    ``index`` and ``kind`` name its blind index column, if it has one."""

    column: str
    label: str
    index: str | None = None
    kind: str | None = None


@dataclass
class Counts:
    seen: int = 0
    changed: int = 0


def _batches(
    connection: Any, table: str, columns: list[str], batch: int
) -> Iterator[list[tuple[Any, ...]]]:
    quote = connection.ops.quote_name
    select = ", ".join(quote(c) for c in ["id", *columns])
    # Table and column names come from the models and migrations, quoted; values are parameters.
    sql = f"SELECT {select} FROM {quote(table)} WHERE {quote('id')} > %s ORDER BY {quote('id')}"  # noqa: S608
    sql += f" LIMIT {int(batch)}"
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _convert(
    connection: Any,
    table: str,
    specs: list[SealedColumn],
    row_values: Callable[[SealedColumn, str], tuple[str, str | None]],
    *,
    batch: int,
) -> Counts:
    """For each row, each column's new (value, index) from row_values(spec, stored value); a row
    is written when anything differs."""
    read = [c for s in specs for c in ([s.column, s.index] if s.index else [s.column])]
    counts = Counts()
    for rows in _batches(connection, table, read, batch):
        changed = []
        for row in rows:
            counts.seen += 1
            stored = dict(zip(read, row[1:], strict=True))
            new: dict[str, Any] = {}
            for spec in specs:
                value, index = row_values(spec, stored[spec.column] or "")
                new[spec.column] = value
                if spec.index:
                    new[spec.index] = index if index is not None else stored[spec.index]
            if any(new[c] != (stored[c] or "") for c in read):
                changed.append([new[c] for c in read] + [row[0]])
        if changed:
            # One transaction per batch: not one commit per row, and not millions of rows
            # held in one transaction (inside a migration's own transaction, a savepoint).
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                _write(cursor, connection, table, read, changed)
            counts.changed += len(changed)
    return counts


def _write(
    cursor: Any, connection: Any, table: str, columns: list[str], rows: list[list[Any]]
) -> None:
    """Rows of (values of columns…, id): on PostgreSQL one UPDATE … FROM (VALUES …) per batch
    (one round trip); on SQLite, in the process, one prepared UPDATE run for each row."""
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        names = ", ".join(quote(c) for c in [*columns, "id"])
        sets = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
        row = "(" + ", ".join(["%s"] * len(columns)) + ", %s::bigint)"
        values = ", ".join([row] * len(rows))
        cursor.execute(
            f"UPDATE {quote(table)} AS t SET {sets} FROM (VALUES {values}) AS v({names}) "  # noqa: S608
            f"WHERE t.{quote('id')} = v.{quote('id')}",
            [value for r in rows for value in r],
        )
        return
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    cursor.executemany(
        f"UPDATE {quote(table)} SET {assignments} WHERE {quote('id')} = %s",  # noqa: S608
        rows,
    )


def seal_plaintext(
    connection: Any, table: str, specs: list[SealedColumn], *, batch: int = BATCH
) -> Counts:
    """Forward migration: seal every plaintext value, fill its blind index."""

    def values(spec: SealedColumn, stored: str) -> tuple[str, str | None]:
        plain = decrypt(stored, column=spec.label) if is_sealed(stored) else stored
        sealed = stored if is_sealed(stored) else encrypt(plain, column=spec.label)
        return sealed, (blind_index(plain, kind=spec.kind) if spec.kind else None)

    return _convert(connection, table, specs, values, batch=batch)


def open_sealed(
    connection: Any, table: str, specs: list[SealedColumn], *, batch: int = BATCH
) -> Counts:
    """Reverse migration: every sealed value back to plaintext (the index columns are dropped
    by the migration right after, so they are left as they are)."""

    def values(spec: SealedColumn, stored: str) -> tuple[str, str | None]:
        return (decrypt(stored, column=spec.label) if is_sealed(stored) else stored), None

    plain_specs = [SealedColumn(s.column, s.label) for s in specs]
    return _convert(connection, table, plain_specs, values, batch=batch)


def reseal(
    connection: Any,
    table: str,
    specs: list[SealedColumn],
    *,
    reindex: bool = False,
    batch: int = BATCH,
) -> Counts:
    """Key rotation: every value not sealed under the current key is opened with its own key
    and sealed under the current one; with ``reindex``, every blind index is recomputed under
    the current SHUREN_INDEX_KEY."""
    current = keyring().current

    def values(spec: SealedColumn, stored: str) -> tuple[str, str | None]:
        if not stored:
            return "", ("" if reindex and spec.kind else None)
        plain = decrypt(stored, column=spec.label)
        sealed = stored if key_id_of(stored) == current else encrypt(plain, column=spec.label)
        index = blind_index(plain, kind=spec.kind) if reindex and spec.kind else None
        return sealed, index

    return _convert(connection, table, specs, values, batch=batch)


def count_by_key(connection: Any, table: str, specs: list[SealedColumn]) -> dict[str, int]:
    """How many stored values each key id sealed ("" for plaintext), for reports and tests."""
    counts: dict[str, int] = {}
    for rows in _batches(connection, table, [s.column for s in specs], BATCH):
        for row in rows:
            for stored in row[1:]:
                if stored:
                    key = key_id_of(stored) or ""
                    counts[key] = counts.get(key, 0) + 1
    return counts


def specs_of(model: Any) -> list[SealedColumn]:
    """The sealed columns of a model, each with its blind index column where it has one."""
    indexes = {f.source: f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)}
    specs = []
    for f in model._meta.concrete_fields:
        if isinstance(f, EncryptedTextField):
            index = indexes.get(f.name)
            specs.append(
                SealedColumn(
                    f.column,
                    f.column_name,
                    index.column if index else None,
                    index.kind if index else None,
                )
            )
    return specs
