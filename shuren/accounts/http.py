"""The request type of a page behind login: `request.user` is a User, as mypy should know."""

from __future__ import annotations

from django.http import HttpRequest

from shuren.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """What @login_required lets through: a logged-in User (the type tells mypy so)."""

    user: User
