"""The API's case list: newest first over everything the caller may see, without sorting it all.

visible_to() is one OR of the post subtrees, the user's own cases (recorded, reported,
assigned, party to) and those they handled (经手的, a look-up of their events). Over an OR
PostgreSQL cannot walk an index in time order, so at 1 M cases the first page sorted the
caller's whole visibility (0.5-1.6 s, docs/performance.md). Here each part is its own ordered,
indexed query for the first offset + limit ids, and the page is merged from them; a count stops
at COUNT_CAP as the inboxes' does. Pages past MERGE_WINDOW (rare: a client paging deep into a
subdistrict) fall back to the single query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from shuren.cases.models import Case, CaseParty, visible_branches
from shuren.cases.reach import reach_of

COUNT_CAP = 1000
MERGE_WINDOW = 1000
ROW_RELATIONS = ("category", "place", "assignee_person", "assignee_team")
LONG_TEXT = ("description", "search_text", "resolution_summary")  # not in a list item


@dataclass(frozen=True)
class ListPage:
    rows: list[Case]
    count: int  # at most COUNT_CAP
    capped: bool  # more than COUNT_CAP cases match


def newest_first(user: Any, narrow: Q, *, offset: int, limit: int) -> ListPage:
    """The cases visible to the user that match `narrow`, newest first, one page of them."""
    person_id = reach_of(user).person_id
    party = (
        list(CaseParty.objects.filter(person_id=person_id).values_list("case_id", flat=True))
        if person_id
        else []
    )
    window = offset + limit
    counted: set[int] = set()
    if window > MERGE_WINDOW:
        merged = Case.objects.visible_to(user).filter(narrow).order_by("-reported_at", "-pk")
        ids = list(merged.values_list("pk", flat=True)[offset:window])
        counted.update(merged.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
    else:
        newest: dict[int, Any] = {}
        for branch in visible_branches(user, party_cases=party):
            cases = Case.objects.filter(branch & narrow)
            first = cases.order_by("-reported_at", "-pk").values_list("pk", "reported_at")
            found = dict(first[:window])
            newest.update(found)
            if len(found) < window:
                counted.update(found)  # the whole branch is known: no count needed
            else:
                counted.update(cases.order_by().values_list("pk", flat=True)[: COUNT_CAP + 1])
        ordered = sorted(newest.items(), key=lambda item: (item[1], item[0]), reverse=True)
        ids = [pk for pk, _at in ordered[offset:window]]
    rows = Case.objects.select_related(*ROW_RELATIONS).defer(*LONG_TEXT)
    by_id = rows.in_bulk(ids) if ids else {}
    return ListPage(
        rows=[by_id[pk] for pk in ids if pk in by_id],
        count=min(len(counted), COUNT_CAP),
        capped=len(counted) > COUNT_CAP,
    )
