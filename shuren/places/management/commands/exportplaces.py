"""exportplaces FILE --user USERNAME [--root CODE] [--unmask --reason TEXT]: the Excel export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from shuren.places.excel.exporter import export_workbook
from shuren.places.management.commands.importplaces import find_user
from shuren.places.models import Place


class Command(BaseCommand):
    help = (
        "Export the places, households and residents a user can see to an Excel file in the "
        "import template's format. Phone and ID numbers are masked unless --unmask is given "
        "with a --reason (allowed only where the user may unmask; written to the access log)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx file to write")
        parser.add_argument("--user", required=True, help="export as this user (their scope)")
        parser.add_argument("--root", default="", help="code of the place to export under")
        parser.add_argument("--unmask", action="store_true", help="write full phone/ID numbers")
        parser.add_argument("--reason", default="", help="why full numbers are needed")

    def handle(self, *args: Any, **options: Any) -> None:
        user = find_user(options["user"])
        with translation.override(user.language or settings.LANGUAGE_CODE):
            root = None
            if options["root"]:
                root = Place.objects.visible_to(user).filter(code=options["root"]).first()
                if root is None:
                    raise CommandError(
                        _("No place with the code %(code)s that you can see.")
                        % {"code": options["root"]}
                    )
            if options["unmask"] and not options["reason"].strip():
                raise CommandError(_("Say why the full numbers are needed (--reason)."))
            try:
                content = export_workbook(
                    user=user, root=root, unmask=options["unmask"], reason=options["reason"]
                )
            except PermissionDenied:
                raise CommandError(_("You may not see full numbers for this place.")) from None
            path = Path(options["file"])
            path.write_bytes(content)
            self.stdout.write(_("Wrote %(path)s.") % {"path": path})
