"""Template context every page needs: elder mode, who is logged in, the other language and the
count of unread notifications for the bell."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from shuren.access.context import scope_of
from shuren.accounts.views import ELDER_COOKIE
from shuren.notify.models import Notification
from shuren.people.roles import Role

# The bell counts this far and then says "99+": a bounded count is one index range, however
# many notifications a busy worker has left unread.
UNREAD_SHOWN = 99

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
        # Counted only when a page shows the bell (one query; HTMX fragments never ask).
        context["unread_count"] = SimpleLazyObject(lambda: _unread_label(user))
    else:
        context["elder_mode"] = request.COOKIES.get(ELDER_COOKIE) == "1"
        context["role_labels"] = []
    return context


def _unread_label(user: Any) -> str:
    unread = Notification.objects.visible_to(user).unread().order_by()[: UNREAD_SHOWN + 1]
    count = unread.count()
    return f"{UNREAD_SHOWN}+" if count > UNREAD_SHOWN else str(count) if count else ""
