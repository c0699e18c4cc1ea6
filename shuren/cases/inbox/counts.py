"""The work waiting for each user, counted for their home page: what is theirs to handle, what
is late, what is due soon and, for staff, what nobody has been given yet.

Each count is the count of an inbox list under the very filters its link opens, so the number a
user taps is the number of rows they see (both take their condition from
inbox.queries.filters_q). An inbox's counts are one statement (inbox_counts) over the cases
any of them selects — open matters, read from the partial open-case index — so a home costs a
fixed number of queries (web/tests/test_home.py pins them); a count past COUNT_CAP is shown as
"1,000+" as the inbox's own is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.access.context import scope_of, standing_of
from shuren.cases.choices import OverdueFlag, Status, Tier
from shuren.cases.inbox.queries import (
    COUNT_CAP,
    FOLLOWED_KINDS,
    AssignedFilter,
    Filters,
    Inbox,
    InboxKind,
    StatusFilter,
    inbox_counts,
    inboxes_for,
)
from shuren.people.roles import Role

# The tier whose matters are the user's own to handle, by the role that puts them in an inbox.
OWN_TIER: dict[str, int] = {
    Role.LOUZHANG: Tier.BUILDING,
    Role.XIANGZHANG: Tier.BUILDING,
    Role.JIEZHANG: Tier.BUILDING,
    Role.YEWEIHUI: Tier.ESTATE,
    Role.ZIZHI_ZUZHANG: Tier.ESTATE,
    Role.SHEQU_STAFF: Tier.COMMUNITY,
    Role.SHEQU_SHUJI: Tier.COMMUNITY,
    Role.WANGGEYUAN: Tier.COMMUNITY,
    Role.JIEDAO_STAFF: Tier.SUBDISTRICT,
}
# Staff hand matters out (派单): their home says how many nobody has been given yet.
DISPATCHING = (InboxKind.COMMUNITY, InboxKind.SUBDISTRICT)


@dataclass(frozen=True)
class WorkCount:
    key: str  # todo · overdue · due_soon · undispatched · open · to_rate
    label: str
    count: int  # at most COUNT_CAP
    capped: bool
    view: str  # the inbox it opens
    params: dict[str, str] = field(
        default_factory=dict
    )  # that inbox's filters, as its URL has them
    alert: bool = False  # drawn as a warning when not zero (and said in words: 逾期)


@dataclass(frozen=True)
class WorkGroup:
    """The counts of one inbox, in the order the home shows them."""

    view: str
    label: str
    counts: list[WorkCount]


def _params(filters: Filters) -> dict[str, str]:
    params = {"status": filters.status}
    if filters.tier:
        params["tier"] = str(filters.tier)
    if filters.overdue:
        params["overdue"] = filters.overdue
    if filters.assigned:
        params["assigned"] = filters.assigned
    return params


@dataclass(frozen=True)
class _Wanted:
    key: str
    label: Any
    filters: Filters
    alert: bool = False


def _group(user: Any, inbox: Inbox, label: str, wanted: list[_Wanted]) -> WorkGroup:
    found = inbox_counts(user, inbox, {w.key: w.filters for w in wanted})
    counts = [
        WorkCount(
            key=w.key,
            label=str(w.label),
            count=min(found[w.key], COUNT_CAP),
            capped=found[w.key] > COUNT_CAP,
            view=inbox.kind,
            params=_params(w.filters),
            alert=w.alert,
        )
        for w in wanted
    ]
    return WorkGroup(view=inbox.kind, label=label, counts=counts)


def own_tier(user: Any, inbox: Inbox) -> int | None:
    """The lowest tier the user answers for in this inbox (None for a team's inbox: all of it
    is theirs)."""
    if inbox.kind == InboxKind.ASSIGNED:
        return None
    tiers = [OWN_TIER[p.role] for p in standing_of(user).posts if p.role in OWN_TIER]
    if inbox.kind == InboxKind.AREA:
        tiers = [t for t in tiers if t <= Tier.ESTATE]
    elif inbox.kind == InboxKind.COMMUNITY:
        tiers = [t for t in tiers if t == Tier.COMMUNITY]
    elif inbox.kind == InboxKind.SUBDISTRICT:
        tiers = [t for t in tiers if t == Tier.SUBDISTRICT]
    return min(tiers) if tiers else None


def _work_group(user: Any, inbox: Inbox) -> WorkGroup:
    open_ = StatusFilter.OPEN.value
    tier = own_tier(user, inbox)
    wanted = [
        _Wanted("todo", _("Waiting for me"), Filters(status=open_, tier=tier)),
        _Wanted(
            "overdue",
            pgettext_lazy("home count", "Overdue"),
            Filters(status=open_, overdue=OverdueFlag.RED.value),
            alert=True,
        ),
        _Wanted("due_soon", _("Due soon"), Filters(status=open_, overdue=OverdueFlag.YELLOW.value)),
    ]
    if inbox.kind in DISPATCHING:
        wanted.append(
            _Wanted(
                "undispatched",
                pgettext_lazy("home count", "Not yet dispatched"),
                Filters(status=open_, tier=tier, assigned=AssignedFilter.UNASSIGNED.value),
            )
        )
    return _group(user, inbox, inbox.label, wanted)


def _mine_group(user: Any, inbox: Inbox) -> WorkGroup:
    wanted = [
        _Wanted("open", _("Being handled"), Filters(status=StatusFilter.OPEN.value)),
        _Wanted("to_rate", _("Waiting for my rating"), Filters(status=Status.RESOLVED.value)),
    ]
    return _group(user, inbox, str(_("Matters I reported")), wanted)


def work_counts(user: Any) -> list[WorkGroup]:
    """The counts of each inbox the user works in, then of their own reports if they live
    here or work in none."""
    inboxes = inboxes_for(user)
    # The lists one follows (经手的, one's own reports) have no work waiting in them.
    groups = [_work_group(user, i) for i in inboxes if i.kind not in FOLLOWED_KINDS]
    mine = next((i for i in inboxes if i.kind == InboxKind.MINE), None)
    if mine is not None and (not groups or scope_of(user).is_resident):
        groups.append(_mine_group(user, mine))
    return groups
