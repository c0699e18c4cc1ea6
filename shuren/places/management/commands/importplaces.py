"""importplaces FILE --user USERNAME [--dry-run]: the Excel import from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from shuren.places.excel.actions import import_places


def find_user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(_("No active user is called %(name)s.") % {"name": username})
    return user


class Command(BaseCommand):
    help = (
        "Import places, households and residents from an Excel file made from the template. "
        "All or nothing: on any error nothing is written and every problem is printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx file")
        parser.add_argument("--user", required=True, help="import as this user (their scope)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and write nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        user = find_user(options["user"])
        with translation.override(user.language or settings.LANGUAGE_CODE):
            if not path.is_file():
                raise CommandError(_("There is no file %(path)s.") % {"path": path})
            try:
                report = import_places(actor=user, file=path, dry_run=options["dry_run"])
            except PermissionDenied:
                raise CommandError(
                    _("%(name)s may not import places.") % {"name": user.get_username()}
                ) from None
            if report.errors:
                for error in report.errors:
                    self.stdout.write(str(error))
                raise CommandError(report.summary())
            self.stdout.write(report.summary())
