"""manage.py loadholidays: (re)load the holiday files into the HolidayDay table."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuren.workdays.actions import load_holidays
from shuren.workdays.sources import HolidayFileError


class Command(BaseCommand):
    help = (
        "Load shuren/workdays/data/cn-YYYY.json into the holiday calendar, replacing the "
        "rows of those years (admin edits included). Run after a new State Council notice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--year",
            type=int,
            action="append",
            dest="years",
            help="Load only this year (repeatable). Default: every file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = load_holidays(years=options["years"])
        except (HolidayFileError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        for year, count in sorted(written.items()):
            self.stdout.write(f"{year}: {count} days")
