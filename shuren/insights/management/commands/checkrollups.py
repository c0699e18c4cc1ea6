"""manage.py checkrollups: recount the tallies from the matters and compare (exit 1 on any
difference); --fix counts them again and writes them."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuren.insights import tallies


class Command(BaseCommand):
    help = "Check the matters' tallies against a recount; --fix rebuilds them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="Rebuild the tallies.")

    def handle(self, *args: Any, fix: bool, **options: Any) -> None:
        if fix:
            rows = tallies.rebuild()
            self.stdout.write(self.style.SUCCESS(f"汇总已重建 (tallies rebuilt): {rows} 行 (rows)"))
            return
        wrong = tallies.check()
        if wrong:
            for mismatch in wrong[:20]:
                self.stderr.write(
                    f"{mismatch.key}: stored {mismatch.stored} != counted {mismatch.counted}"
                )
            raise CommandError(
                f"汇总与案件不符 {len(wrong)} 行 (tallies differ from the matters in {len(wrong)} "
                "rows); run `manage.py checkrollups --fix`"
            )
        self.stdout.write(self.style.SUCCESS("汇总与案件一致 (tallies agree with the matters)"))
