"""manage.py purgeexports: delete the register files past their keeping date (the demo runs it
with the overdue sweep; in production cron or a systemd timer, daily is enough)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from shuren.insights.register.actions import remove_expired_exports


class Command(BaseCommand):
    help = "Delete the exported register files past their keeping date."

    def handle(self, *args: Any, **options: Any) -> None:
        removed = remove_expired_exports()
        self.stdout.write(f"已删除过期导出文件 (expired export files deleted): {removed}")
