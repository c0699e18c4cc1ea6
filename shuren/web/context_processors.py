"""Template context every page needs: elder mode and the user's scope summary."""

from typing import Any

from django.http import HttpRequest


def shuren(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    elder = bool(user and user.is_authenticated and getattr(user, "elder_mode", False))
    return {"elder_mode": elder}
