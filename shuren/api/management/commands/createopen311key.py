"""`manage.py createopen311key NAME`: a key for a partner system, printed once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shuren.api.open311.actions import create_open311_key


class Command(BaseCommand):
    help = "Make an Open311 API key for a partner system; the key is printed once only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the system the key is for, e.g. 'FixMyStreet Foshan'")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            key, raw = create_open311_key(actor=None, name=options["name"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            _("Open311 key %(id)s for “%(name)s”. It is shown this once only; keep it safe.")
            % {"id": key.pk, "name": key.name}
        )
        self.stdout.write(raw)
