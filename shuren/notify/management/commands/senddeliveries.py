"""Send every due e-mail and WeCom delivery now: a sweep after the task queue was down (the
rows were kept), or where no task worker runs. Safe beside the workers: each row is claimed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shuren.notify.delivery import send_due


class Command(BaseCommand):
    help = "Send the due e-mail and WeCom deliveries."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_due()} deliveries tried")
