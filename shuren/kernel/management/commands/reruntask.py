"""reruntask: run a background task that failed for good again, by its result id, as the system
administrator named (the admin's action does the same for the database backend's results)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks.exceptions import TaskResultDoesNotExist

from shuren.kernel.tasks import rerun_failed_task


class Command(BaseCommand):
    help = "Run a failed task again: reruntask RESULT_ID --as USERNAME (a system administrator)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("result_id")
        parser.add_argument("--as", dest="username", required=True)

    def handle(self, *args: Any, result_id: str, username: str, **options: Any) -> None:
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"no user {username}")
        try:
            rerun = rerun_failed_task(actor=actor, result_id=result_id)
        except (TaskResultDoesNotExist, ValueError, PermissionDenied) as error:
            raise CommandError(str(error) or type(error).__name__) from error
        self.stdout.write(f"{rerun.task_path} queued again")
