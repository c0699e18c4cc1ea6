"""The inbox first pages the cases benchmark times, one callable per page kind and user.

Until shuren/cases/inbox.py exists this times Case.objects.visible_to(user) newest first (all
states, and only the open ones), with the category and place a list row shows. Each call loads
the user afresh, as the auth middleware does per request, so scope and reach are computed
every time, and returns the number of rows on the page.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable


def inbox_pages(user_id: int, page: int) -> dict[str, Callable[[], int]]:
    from django.contrib.auth import get_user_model

    from shuren.cases.models import Case

    User = get_user_model()

    def visible() -> int:
        user = User.objects.get(pk=user_id)
        qs = Case.objects.visible_to(user).select_related("category", "place")
        return len(list(qs.order_by("-reported_at", "-pk")[:page]))

    def visible_open() -> int:
        user = User.objects.get(pk=user_id)
        qs = Case.objects.visible_to(user).open().select_related("category", "place")
        return len(list(qs.order_by("-reported_at", "-pk")[:page]))

    pages: dict[str, Callable[[], int]] = {
        "visible_to, newest first": visible,
        "visible_to, open, newest first": visible_open,
    }
    if importlib.util.find_spec("shuren.cases.inbox") is not None:
        pages.update(real_inbox(user_id, page))
    return pages


def real_inbox(user_id: int, page: int) -> dict[str, Callable[[], int]]:
    return {}
