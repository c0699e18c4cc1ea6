"""The request type of a page behind login: `request.user` is a User, as mypy should know."""

from __future__ import annotations

from django.http import HttpRequest

from shuren.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """What @login_required lets through: a logged-in User (the type tells mypy so)."""

    user: User


def acting_user(request: HttpRequest) -> User:
    """The logged-in user who acts, for a face the login requirement already guards (the admin,
    a login_required view typed HttpRequest by its framework)."""
    user = request.user
    if not isinstance(user, User):
        raise TypeError("an action needs a logged-in user")
    return user
