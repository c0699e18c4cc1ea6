"""runoutbox: the outbox worker. Hands every pending outbox row to its handlers (in-app
notifications now), then waits for more; `--once` drains what is there and stops."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from shuren.kernel.outbox import drain


class Command(BaseCommand):
    help = "Deliver what actions recorded in the outbox (the worker; --once to drain and stop)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Drain the outbox and stop.")
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the outbox is empty (default 1).",
        )

    def handle(self, *args: Any, once: bool = False, interval: float = 1.0, **options: Any) -> None:
        stopping = False

        def stop(_signum: int, _frame: Any) -> None:
            nonlocal stopping
            stopping = True  # finish the row in hand, then leave

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        total = 0
        while not stopping:
            done = drain(limit=500)
            total += done
            if once and done < 500:
                break
            if done == 0:
                time.sleep(interval)
                # A long-running process drops a connection the database closed meanwhile.
                close_old_connections()
        if options.get("verbosity", 1) > 0:
            self.stdout.write(f"outbox: {total} row(s) processed")
