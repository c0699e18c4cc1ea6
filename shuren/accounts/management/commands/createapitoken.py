"""createapitoken: issue an API token for a user and print it once; only its hash is kept."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from shuren.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it. It cannot be shown again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. 'WeCom bot'.")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if not user.is_active:
            raise CommandError(f"User {username!r} is not active; a token would not work.")
        token, raw = ApiToken.issue(user=user, name=name.strip()[:100])
        # Only the raw token on stdout, so scripts can capture it; the note goes to stderr.
        self.stderr.write(
            f"Token {token.prefix}… for {username}. Store it now: it is not kept and cannot "
            "be shown again."
        )
        self.stdout.write(raw)
