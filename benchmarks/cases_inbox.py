"""The inbox first pages the cases benchmark times, one callable per page kind and user.

Always: Case.objects.visible_to(user) newest first (all states, and only the open ones), with
the category and place a list row shows. When shuren/cases/inbox/queries.py exists, also the real
inbox: its QuerySets and its whole view, and the API's list (GET /api/v1/cases) for the
same user, for comparison, and the whole view in each of the desk's column orders (`sort=`).
Each call loads the user afresh, as the auth
middleware does per request, so scope and reach are computed every time, and returns the
number of rows on the page (-1 for the view, whose HTML is not parsed).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client


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
    if importlib.util.find_spec("shuren.cases.inbox.queries") is not None:
        pages.update(real_inbox(user_id, page))
    return pages


def real_inbox(user_id: int, page: int) -> dict[str, Callable[[], int]]:
    """The role's default inbox (the first of inboxes_for), first page: through its QuerySets
    (page_of: a capped count and the rows), and through the whole view in-process (Django's
    test client, logged in with a session, every middleware and the template)."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from shuren.cases.inbox import queries as inbox

    User = get_user_model()

    def queryset_page() -> int:
        user = User.objects.get(pk=user_id)
        current = inbox.inboxes_for(user)[0]
        return len(inbox.page_of(inbox.inbox_cases(user, current), 1, page_size=page).rows)

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    url = reverse("cases:inbox")

    def view() -> int:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return -1  # rows are not counted from the HTML

    def api_list() -> int:
        # The API's list is the same user's "first page" for a client app (session auth here).
        response = client.get("/api/v1/cases", {"limit": page})
        if response.status_code != 200:
            raise RuntimeError(f"/api/v1/cases answered {response.status_code}")
        return len(response.json()["items"])

    pages = {
        "inbox: QuerySets (count + page)": queryset_page,
        "inbox: whole view": view,
        "GET /api/v1/cases (in-process)": api_list,
    }
    if importlib.util.find_spec("shuren.cases.inbox.counts") is not None:
        pages.update(home(user_id, client))
    # The desk's column orders (issue 9), where this checkout has them: each the whole view.
    for sort in getattr(inbox, "Sort", ()):

        def sorted_view(sort: str = str(sort)) -> int:
            response = client.get(url, {"sort": sort})
            if response.status_code != 200:
                raise RuntimeError(f"{url}?sort={sort} answered {response.status_code}")
            return -1

        pages[f"inbox: whole view, sort={sort}"] = sorted_view
    return pages


def home(user_id: int, client: Client) -> dict[str, Callable[[], int]]:
    """The home page's work counts (issue 9): their queries alone, and the whole home page
    (counts, the newest notifications and the role's sections), to set beside the inbox's."""
    from django.contrib.auth import get_user_model

    from shuren.cases.inbox.counts import work_counts

    User = get_user_model()

    def counts() -> int:
        user = User.objects.get(pk=user_id)
        return sum(len(group.counts) for group in work_counts(user))

    def home_view() -> int:
        response = client.get("/")
        if response.status_code != 200:
            raise RuntimeError(f"/ answered {response.status_code}")
        return -1

    return {"home: work counts": counts, "home: whole view": home_view}
