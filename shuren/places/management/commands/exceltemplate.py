"""exceltemplate FILE: write the blank import template, with its 说明 (instructions) sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from shuren.places.excel.template import write_template


class Command(BaseCommand):
    help = "Write the blank Excel template for importing places, households and residents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default="shuren-template.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        path.write_bytes(write_template())
        self.stdout.write(_("Wrote %(path)s.") % {"path": path})
