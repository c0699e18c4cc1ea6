"""purgeaudit --before YYYY-MM-DD: delete audit entries older than the retention period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shuren.audit.actions import purge_before, retention_days


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("--before must be a day such as 2026-01-31.")) from None


class Command(BaseCommand):
    help = (
        "Delete the audit entries written before a day (Asia/Shanghai) that lies at least the "
        "retention period ago (180 days, or SHUREN_AUDIT_RETENTION_DAYS if longer); younger "
        "days are refused. The chain then starts from an anchor, and the purge is recorded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="YYYY-MM-DD: purge entries before it")

    def handle(self, *args: Any, **options: Any) -> None:
        before = _day(options["before"])
        try:
            count = purge_before(username="manage.py purgeaudit", before=before)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            _("Purged %(count)d audit entries written before %(day)s (kept: %(days)d days).")
            % {"count": count, "day": before.isoformat(), "days": retention_days()}
        )
