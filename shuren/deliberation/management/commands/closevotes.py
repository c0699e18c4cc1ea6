"""The owners' votes' sweep, run by cron (and periodically by `make demo`): count the votes
whose voting time is up."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shuren.deliberation.votes.counting import close_due_votes


class Command(BaseCommand):
    help = (
        "Close every owners' vote whose voting time is up: count its ballots, publish the result."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_due_votes()
        self.stdout.write(f"counted {len(closed)} vote(s)")
        for vote in closed:
            self.stdout.write(f"  {vote.pk} {'passed' if vote.passed else 'not passed'}")
