"""taskstatus: the background task queue's lag, queued and failed tasks, on either backend.

manage.py taskstatus                     backend=redis lag_seconds=0.4 queued=3 failed=0
manage.py taskstatus --max-lag 300 --max-failed 0     exits 1 past either limit (cron, a
                                                      monitoring probe)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from shuren.kernel.taskstatus import task_status


class Command(BaseCommand):
    help = "Print the task queue's lag (seconds), queued and failed tasks; exit 1 past a limit."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--backend", default="default", help="The TASKS alias (default).")
        parser.add_argument(
            "--max-lag", type=float, default=None, help="Fail when the lag exceeds these seconds."
        )
        parser.add_argument(
            "--max-failed", type=int, default=None, help="Fail when more tasks failed than this."
        )

    def handle(
        self,
        *args: Any,
        backend: str,
        max_lag: float | None,
        max_failed: int | None,
        **options: Any,
    ) -> None:
        status = task_status(backend)
        self.stdout.write(status.as_line())
        problems = []
        if max_lag is not None and status.lag_seconds > max_lag:
            problems.append(f"lag {status.lag_seconds:.1f}s exceeds {max_lag:g}s")
        if max_failed is not None and status.failed > max_failed:
            problems.append(f"{status.failed} failed task(s), more than {max_failed}")
        if problems:
            raise CommandError("; ".join(problems))
