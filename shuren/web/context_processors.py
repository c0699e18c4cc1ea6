"""Template context every page needs: elder mode, who is logged in, and the other language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from shuren.access.context import scope_of
from shuren.accounts.views import ELDER_COOKIE
from shuren.people.roles import Role

# The language the switch offers: the one not in use, named in its own language.
OTHER_LANGUAGE = {"zh-hans": ("en", "English"), "en": ("zh-hans", "中文")}


def shuren(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    current = translation.get_language() or settings.LANGUAGE_CODE
    other_code, other_name = OTHER_LANGUAGE.get(current, OTHER_LANGUAGE["zh-hans"])
    context: dict[str, Any] = {
        "other_language_code": other_code,
        "other_language_name": other_name,
    }
    if user is not None and user.is_authenticated:
        roles = scope_of(user).roles
        context["elder_mode"] = bool(getattr(user, "elder_mode", False))
        # Role labels in the order the Role choices list them (leaders first).
        context["role_labels"] = [role.label for role in Role if role in roles]
    else:
        context["elder_mode"] = request.COOKIES.get(ELDER_COOKIE) == "1"
        context["role_labels"] = []
    return context
