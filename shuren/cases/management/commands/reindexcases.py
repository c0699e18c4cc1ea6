"""Rebuild the Chinese full-text index of cases (Case.search_text) from titles and descriptions."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from shuren.cases.search import reindex


class Command(BaseCommand):
    help = (
        "Recompute every case's jieba search tokens (after a bulk load that bypassed "
        "report_case, or a change of jieba's dictionary). Versions are left as they are."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Only cases that have no index yet (fast after a bulk load).",
        )
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        changed = reindex(batch_size=options["batch_size"], only_missing=options["missing"])
        self.stdout.write(f"reindexed {changed} case(s) in {time.monotonic() - started:.1f} s")
