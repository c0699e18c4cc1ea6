"""The meetings' follow-through sweep, run by cron (and periodically by `make demo`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuren.deliberation.actions import sweep_overdue


class Command(BaseCommand):
    help = (
        "Remind the owner and the organiser of every decision's follow-through item past its "
        "deadline, at most once per item per day in Guicheng (safe to run every few minutes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", help="the moment to sweep as (ISO 8601 with its offset); default: now"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options.get("now"):
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError as exc:
                raise CommandError(f"--now: {exc}") from None
            if now.tzinfo is None:
                raise CommandError("--now needs its offset, e.g. 2026-03-12T09:00:00+08:00")
        report = sweep_overdue(now=now)
        self.stdout.write(f"reminded {report.reminded} overdue follow-through item(s)")
