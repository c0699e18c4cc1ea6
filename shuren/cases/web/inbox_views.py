"""The inbox page: the matters this user works on (or reported), filtered, searched, sorted,
paged; on a desk a table whose rows community staff may dispatch several at a time."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.cases.dispatch import teams_for
from shuren.cases.inbox.queries import SORT_COLUMNS, inbox_cases, inboxes_for, page_of
from shuren.cases.models import Category
from shuren.cases.on_behalf import without_account
from shuren.cases.reference import active_categories
from shuren.cases.rules import may
from shuren.cases.web.case_forms import InboxFilterForm
from shuren.cases.web.case_page import STATUS_TONE
from shuren.cases.web.inbox_rows import Row, detail_prefix, render_rows
from shuren.people.models import Team, TeamKind
from shuren.places.queries import place_chains, places_above

FILTER_FIELDS = ("q", "status", "category", "tier", "overdue", "assigned")
# The desk's columns after the matter itself, in the rows' order; None: not sortable.
COLUMNS = (
    ("place", _("Place")),
    ("state", _("State")),
    ("tier", _("Tier now")),
    ("reported", _("Reported on")),
    ("deadline", _("Deadline")),
    (None, _("Handled by")),
)


@login_required
@require_GET
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    return render_inbox(request, request.GET)


def render_inbox(
    request: AuthenticatedRequest,
    params: QueryDict,
    *,
    status: int = 200,
    dispatch_error: str = "",
    picked: frozenset[int] = frozenset(),
) -> HttpResponse:
    """The inbox as `params` ask for it (the desk's dispatch shows it again, with its error)."""
    user = request.user
    inboxes = inboxes_for(user)
    if not inboxes:
        return render(request, "cases/inbox/inbox.html", {"inboxes": [], "current": None})
    wanted = params.get("view", "")
    current = next((i for i in inboxes if i.kind == wanted), inboxes[0])
    data = params.copy()
    data.setdefault("status", current.default_status)
    categories = list(active_categories())
    form = InboxFilterForm(data, inbox=current, categories=_tree_order(categories))
    filters = form.filters()
    page = page_of(inbox_cases(user, current, filters), params.get("page"))
    prefix = detail_prefix()  # one reverse() per page, not per row
    # Staff act for a leader without a login (代办): such rows say so (one query, if any).
    offline = without_account([c for c in page.rows if c.is_open]) if current.dispatches else set()
    # 社区 › 小区 › 楼栋 for every row, and the estates' property companies for the dispatch
    # list, from one read of the places above the page's rows.
    paths = {case.place_path for case in page.rows}
    above = places_above(paths)
    chains = place_chains(paths, from_depth=current.chain_from, above=above)
    rows = []
    for case in page.rows:
        # 派单 straight from the list, one or several, for what nobody has been given yet.
        waiting = (
            current.dispatches
            and not (case.assignee_person_id or case.assignee_team_id)
            and may(user, case, "assign")
        )
        rows.append(
            Row(
                case=case,
                tone=STATUS_TONE.get(case.status, "new"),
                dispatch=waiting,
                url=f"{prefix}{case.pk}/",
                place=chains.get(case.place_path, ""),
                pick=waiting,
                checked=case.pk in picked,
                offline=case.pk in offline,
            )
        )
    pickable = [row.case for row in rows if row.pick]
    teams = teams_for(pickable, above=above)
    return render(
        request,
        "cases/inbox/inbox.html",
        {
            "inboxes": inboxes,
            "current": current,
            "form": form,
            "filters_active": any(params.get(f) for f in FILTER_FIELDS if f != "status")
            or data.get("status") != current.default_status,
            "page": page,
            "rows": render_rows(rows, picking=bool(teams)),
            "head": _head(params, filters.sort, picking=bool(teams)),
            "query": filters.query,
            "team_options": _options(teams),
            "picking": bool(teams),
            "here": _here(params),
            "dispatch_error": dispatch_error,
            "picked": picked,
        },
        status=status,
    )


def _options(teams: list[Team]) -> SafeString:
    """The dispatch list's <option>s, written out like the filter's selects (widgets.py)."""
    kinds = {value: escape(label) for value, label in TeamKind.choices}
    return mark_safe(  # noqa: S308 - every value went through escape()
        "".join(
            f'<option value="{int(t.pk)}">{escape(t.name)} · {kinds.get(t.kind, "")}</option>'
            for t in teams
        )
    )


def _here(params: QueryDict) -> str:
    """This list's address, with its filters and order (where the desk's dispatch returns)."""
    inbox = reverse("cases:inbox")
    return f"{inbox}?{params.urlencode()}" if params else inbox


def _head(params: QueryDict, sort: str, *, picking: bool) -> SafeString:
    """The desk's column headers, written out like the rows: each sortable one links to the
    same list sorted by it (the other way round when it already is), its filters kept and
    back on the first page, and says how it is sorted (aria-sort)."""
    cells = []
    if picking:
        cells.append(
            f'<th scope="col" class="cell-pick"><span class="visually-hidden">'
            f"{escape(gettext('Choose'))}</span></th>"
        )
    cells.append(f'<th scope="col">{escape(gettext("Matter"))}</th>')
    for key, label in COLUMNS:
        if key is None:
            cells.append(f'<th scope="col">{escape(label)}</th>')
            continue
        first, other = SORT_COLUMNS[key]
        query = params.copy()
        query.pop("page", None)
        query["sort"] = other if sort == first else first
        sorted_, mark = "", ""
        if sort in (first, other):
            descending = sort.startswith("-")
            sorted_ = f' aria-sort="{"descending" if descending else "ascending"}"'
            mark = " ▼" if descending else " ▲"
        cells.append(
            f'<th scope="col"{sorted_}>'
            f'<a class="sort" href="?{escape(query.urlencode())}">{escape(label)}'
            f'<span class="sort-mark" aria-hidden="true">{mark}</span></a></th>'
        )
    cells.append(
        f'<th scope="col"><span class="visually-hidden">{escape(gettext("Action"))}</span></th>'
    )
    return mark_safe("".join(cells))  # noqa: S308 - every value went through escape()


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
