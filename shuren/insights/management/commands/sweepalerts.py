"""The early-warning sweep, run by cron (and periodically by `make demo`, beside sweepoverdue)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shuren.insights.alert_raising import sweep_alerts


class Command(BaseCommand):
    help = (
        "Raise the early-warning alerts the recent matters call for: hotspots, surges, repeat "
        "parties, overdue matters and unsatisfied follow-ups (none raised twice)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = sweep_alerts()
        counts = ", ".join(f"{kind} {n}" for kind, n in sorted(report.raised.items()) if n)
        self.stdout.write(f"raised {report.total} alert(s){': ' + counts if counts else ''}")
