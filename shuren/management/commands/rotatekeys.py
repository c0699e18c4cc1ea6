"""Key rotation for the encrypted phone and ID numbers (docs/security.md, "Encryption and keys").

A new field key: put it first in SHUREN_FIELD_KEYS, keep the old ones after it, restart, run
`manage.py rotatekeys`: every value still sealed under an older key is re-sealed under the
current one, a batch of rows at a time; then the old key can leave the environment. A new
index key (SHUREN_INDEX_KEY): run `manage.py rotatekeys --reindex` to recompute every blind
index. Both are idempotent: a second run changes nothing and says so.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from shuren.crypto import DecryptionError, KeyConfigError, keyring
from shuren.crypto_rows import count_by_key, reseal, specs_of


class Command(BaseCommand):
    help = (
        "Re-encrypt every phone and ID number under the current key of SHUREN_FIELD_KEYS; "
        "with --reindex, also recompute the blind indexes under SHUREN_INDEX_KEY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="Recompute every blind index (after SHUREN_INDEX_KEY changed).",
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            current = keyring().current
        except KeyConfigError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"current key: {current}")
        for model in apps.get_models():
            specs = specs_of(model)
            if not specs:
                continue
            table = model._meta.db_table
            try:
                counts = reseal(
                    connection,
                    table,
                    specs,
                    reindex=options["reindex"],
                    batch=options["batch_size"],
                )
            except DecryptionError as exc:
                raise CommandError(str(exc)) from None
            by_key = ", ".join(
                f"{key or 'plaintext'} {n}"
                for key, n in sorted(count_by_key(connection, table, specs).items())
            )
            self.stdout.write(
                f"{model._meta.label}: {counts.seen} row(s) read, {counts.changed} rewritten; "
                f"values by key now: {by_key or 'none'}"
            )
