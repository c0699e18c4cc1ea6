"""The overdue sweep, run by cron (and periodically by `make demo`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shuren.cases.actions import purge_idempotency_keys
from shuren.cases.intake.photo_files import remove_orphan_photos
from shuren.cases.workflow.sweep import run_sweep


class Command(BaseCommand):
    help = (
        "Flag cases due soon (yellow) or overdue (red), remind the day after a deadline, "
        "escalate after the grace period, forget idempotency keys older than 24 h, and remove "
        "photo files no case names (left by a report that rolled back) after 24 h."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_sweep()
        purged = purge_idempotency_keys()
        orphans = remove_orphan_photos()
        self.stdout.write(
            f"flagged {report.flagged}, reminded {report.reminded}, "
            f"escalated {report.escalated}, forgot {purged} idempotency key(s), "
            f"removed {orphans} orphaned photo file(s)"
        )
        for number in report.cases:
            self.stdout.write(f"  escalated {number}")
