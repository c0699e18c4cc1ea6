"""The inbox page: the matters this user works on (or reported), filtered, searched, paged."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.cases.inbox.queries import InboxKind, inbox_cases, inboxes_for, page_of
from shuren.cases.models import Category
from shuren.cases.on_behalf import without_account
from shuren.cases.reference import active_categories
from shuren.cases.rules import may
from shuren.cases.web.case_forms import InboxFilterForm
from shuren.cases.web.case_page import STATUS_TONE
from shuren.cases.web.inbox_rows import Row, detail_prefix, render_rows

FILTER_FIELDS = ("q", "status", "category", "tier", "overdue", "assigned")


@login_required
@require_GET
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    inboxes = inboxes_for(user)
    if not inboxes:
        return render(request, "cases/inbox/inbox.html", {"inboxes": [], "current": None})
    wanted = request.GET.get("view", "")
    current = next((i for i in inboxes if i.kind == wanted), inboxes[0])
    data = request.GET.copy()
    data.setdefault("status", current.default_status)
    categories = list(active_categories())
    form = InboxFilterForm(data, inbox=current, categories=_tree_order(categories))
    filters = form.filters()
    page = page_of(inbox_cases(user, current, filters), request.GET.get("page"))
    dispatching = current.kind in (InboxKind.COMMUNITY, InboxKind.SUBDISTRICT)
    prefix = detail_prefix()  # one reverse() per page, not per row
    # Staff act for a leader without a login (代办): such rows say so (one query, if any).
    offline = without_account([c for c in page.rows if c.is_open]) if dispatching else set()
    rows = [
        Row(
            case=case,
            tone=STATUS_TONE.get(case.status, "new"),
            # 派单 straight from the list for what nobody has been given yet.
            dispatch=dispatching
            and not (case.assignee_person_id or case.assignee_team_id)
            and may(user, case, "assign"),
            url=f"{prefix}{case.pk}/",
            offline=case.pk in offline,
        )
        for case in page.rows
    ]
    return render(
        request,
        "cases/inbox/inbox.html",
        {
            "inboxes": inboxes,
            "current": current,
            "form": form,
            "filters_active": any(request.GET.get(f) for f in FILTER_FIELDS if f != "status")
            or data.get("status") != current.default_status,
            "page": page,
            "rows": render_rows(rows),
            "query": filters.query,
        },
    )


def _tree_order(categories: list[Category]) -> list[Any]:
    """Each top-level category followed by its children, as the select lists them."""
    children: dict[int, list[Category]] = {}
    for c in categories:
        if c.parent_id:
            children.setdefault(c.parent_id, []).append(c)
    ordered: list[Category] = []
    for c in categories:
        if not c.parent_id:
            ordered.append(c)
            ordered.extend(children.get(c.pk, []))
    return ordered
