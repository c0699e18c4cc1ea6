"""Inboxes per role: the matters each kind of post holder works on, as scoped QuerySets.

Every inbox starts from Case.objects.visible_to(user) and narrows it for the role:

- area (楼长/巷长/街长, 业委会委员, 自治小组长): the matters of their building, lane or street;
- community (社区工作人员/书记, 网格员): their community's matters, to triage and dispatch;
- assigned (物业, 调解员): what was assigned to their company or workshop, or to its people, and
  what their property company holds at the estate tier;
- subdistrict (街道工作人员): what reached tier 4 or beyond, and whatever is overdue;
- handled (every post holder, 经手的): what they acted on or were given, wherever it went;
- mine (everyone, the resident's tracking list): what they reported or recorded.

The work inboxes show open matters unless the filter asks otherwise. A subtree is one range
over Case.place_path, so with the status it is one scan of the partial open-case index; the
page is fetched with its related rows joined in, so a page is a fixed number of queries
whatever the number of cases (tests/test_inbox_queries.py pins them).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shuren import rawsql
from shuren.access.context import scope_of, standing_of
from shuren.cases.models import (
    OPEN_STATUSES,
    URGENCY,
    Case,
    Category,
    OverdueFlag,
    Status,
    Tier,
    handled_q,
)
from shuren.cases.reach import reach_of
from shuren.cases.reference import categories_by_id
from shuren.cases.search import search_q
from shuren.people.models import Membership, Person, Post, Team, active_q
from shuren.people.roles import Role
from shuren.places.models import Place
from shuren.places.paths import depth_of, drop_nested, subtree_q

PAGE_SIZE = 20
# Counting stops here: "1,000+" is as useful as an exact count, and costs a bounded scan.
COUNT_CAP = 1000

AREA_ROLES = frozenset(
    {Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG, Role.YEWEIHUI, Role.ZIZHI_ZUZHANG}
)
COMMUNITY_ROLES = frozenset({Role.SHEQU_STAFF, Role.SHEQU_SHUJI, Role.WANGGEYUAN})
TEAM_ROLES = frozenset({Role.WUYE, Role.TIAOJIEYUAN})
SUBDISTRICT_ROLES = frozenset({Role.JIEDAO_STAFF})


class InboxKind(models.TextChoices):
    AREA = "area", _("My buildings, lanes and streets")
    COMMUNITY = "community", _("My community")
    ASSIGNED = "assigned", _("Assigned to us")
    SUBDISTRICT = "subdistrict", _("Tier 4 and overdue")
    HANDLED = "handled", _("Handled by me")
    MINE = "mine", _("Reported or recorded by me")


class StatusFilter(models.TextChoices):
    """The state filter: the groups first, then each status (Status values are added)."""

    OPEN = "open", _("Open (not yet resolved)")
    ALL = "all", _("All states")


class AssignedFilter(models.TextChoices):
    UNASSIGNED = "no", _("Not yet dispatched")
    ASSIGNED = "yes", _("Dispatched")


# The lists a person follows, newest first in every state, rather than works through.
FOLLOWED_KINDS = frozenset({InboxKind.HANDLED, InboxKind.MINE})

# The deadline that matters now (Case.current_due): to accept, then to resolve; none after.
CURRENT_DUE = models.Case(
    models.When(status=Status.REPORTED, then=models.F("accept_due")),
    models.When(status__in=[Status.ACCEPTED, Status.IN_PROGRESS], then=models.F("resolve_due")),
    default=models.Value(None),
    output_field=models.DateTimeField(),
)
# The states in the order a matter goes through them (their values sort otherwise).
STATE_ORDER = models.Case(
    *(models.When(status=status, then=models.Value(rank)) for rank, status in enumerate(Status)),
    default=models.Value(len(Status)),
    output_field=models.IntegerField(),
)
NEWEST = (models.F("reported_at").desc(), models.F("id").desc())


class Sort(models.TextChoices):
    """The orders a desk may ask for (`sort=` in the URL); anything else is the inbox's own.

    Each is cut to a page from the inbox's candidates, which the open work inboxes keep to a
    few hundred at 1 M matters (docs/performance.md, "Sorting the inbox"); the place order is
    the tree's (社区, then 小区, then 楼栋), which the place_path indexes hold."""

    REPORTED_NEWEST = "-reported", _("Newest first")
    REPORTED_OLDEST = "reported", _("Oldest first")
    DEADLINE_SOONEST = "deadline", _("Deadline, soonest first")
    DEADLINE_LATEST = "-deadline", _("Deadline, latest first")
    TIER_HIGHEST = "-tier", _("Tier, highest first")
    TIER_LOWEST = "tier", _("Tier, lowest first")
    STATE_FIRST = "state", _("State, new matters first")
    STATE_LAST = "-state", _("State, furthest along first")
    PLACE = "place", _("Place, community by community")
    PLACE_REVERSED = "-place", _("Place, in reverse")


SORT_ORDERS: dict[str, tuple[Any, ...]] = {
    Sort.REPORTED_NEWEST: NEWEST,
    Sort.REPORTED_OLDEST: (models.F("reported_at").asc(), models.F("id").asc()),
    Sort.DEADLINE_SOONEST: (CURRENT_DUE.asc(nulls_last=True), *NEWEST),
    Sort.DEADLINE_LATEST: (CURRENT_DUE.desc(nulls_last=True), *NEWEST),
    Sort.TIER_HIGHEST: (models.F("current_tier").desc(), URGENCY, *NEWEST),
    Sort.TIER_LOWEST: (models.F("current_tier").asc(), URGENCY, *NEWEST),
    Sort.STATE_FIRST: (STATE_ORDER.asc(), URGENCY, *NEWEST),
    Sort.STATE_LAST: (STATE_ORDER.desc(), URGENCY, *NEWEST),
    Sort.PLACE: (models.F("place_path").asc(), *NEWEST),
    Sort.PLACE_REVERSED: (models.F("place_path").desc(), *NEWEST),
}
# What a column header asks for first, and the other way round when it is already sorted so.
SORT_COLUMNS: dict[str, tuple[str, str]] = {
    "reported": (Sort.REPORTED_NEWEST, Sort.REPORTED_OLDEST),
    "deadline": (Sort.DEADLINE_SOONEST, Sort.DEADLINE_LATEST),
    "tier": (Sort.TIER_HIGHEST, Sort.TIER_LOWEST),
    "state": (Sort.STATE_FIRST, Sort.STATE_LAST),
    "place": (Sort.PLACE, Sort.PLACE_REVERSED),
}
# A place's chain in a list starts at its community (社区 › 小区 › 楼栋), or at its building in
# a list that holds only one building's matters (a 楼长's): path depths, 1 = the subdistrict.
CHAIN_FROM_COMMUNITY = 2
CHAIN_FROM_BUILDING = 4


@dataclass(frozen=True)
class Inbox:
    kind: str
    roots: tuple[str, ...] = ()  # subtree roots (place paths) for the area-based inboxes
    team_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()  # the people of those teams (and the user)
    company_ids: tuple[int, ...] = ()  # property companies: their matters at the estate tier

    @property
    def label(self) -> str:
        return str(InboxKind(self.kind).label)

    @property
    def default_status(self) -> str:
        # A resident follows their own matters to the end, and whoever handled a matter its
        # progress after it left them; workers see what is still open.
        return StatusFilter.ALL if self.kind in FOLLOWED_KINDS else StatusFilter.OPEN

    @property
    def dispatches(self) -> bool:
        """Community and subdistrict staff dispatch from this list (one matter or several)."""
        return self.kind in (InboxKind.COMMUNITY, InboxKind.SUBDISTRICT)

    @property
    def chain_from(self) -> int:
        """Where the places of its rows start: the community, unless every root of the list
        lies at or below a building, whose leader knows which community it is in."""
        if self.roots and min(depth_of(root) for root in self.roots) >= CHAIN_FROM_BUILDING:
            return CHAIN_FROM_BUILDING
        return CHAIN_FROM_COMMUNITY


@dataclass(frozen=True)
class Filters:
    status: str = ""  # "" = the inbox's default
    category_ids: tuple[int, ...] = ()  # a category and its children
    tier: int | None = None
    overdue: str = ""
    assigned: str = ""
    query: str = ""
    sort: str = ""  # a Sort value; "" = the inbox's own order


def inboxes_for(user: Any) -> list[Inbox]:
    """The inboxes this user has, most relevant first (the first is shown by default)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.person_id:
        return []
    roots: dict[str, set[str]] = {}
    roles: set[str] = set()
    for post in standing_of(user).posts:
        roles.add(post.role)
        if post.place_path:
            roots.setdefault(post.role, set()).add(post.place_path)

    def paths(group: frozenset[str]) -> tuple[str, ...]:
        return drop_nested(set().union(*(roots.get(r, set()) for r in group)))

    inboxes: list[Inbox] = []
    if roles & COMMUNITY_ROLES:
        inboxes.append(Inbox(InboxKind.COMMUNITY, roots=paths(COMMUNITY_ROLES)))
    if roles & SUBDISTRICT_ROLES:
        inboxes.append(Inbox(InboxKind.SUBDISTRICT, roots=paths(SUBDISTRICT_ROLES)))
    if roles & AREA_ROLES:
        inboxes.append(Inbox(InboxKind.AREA, roots=paths(AREA_ROLES)))
    if roles & TEAM_ROLES:
        reach = reach_of(user)
        team_ids = tuple(sorted(reach.team_ids))
        inboxes.append(
            Inbox(
                InboxKind.ASSIGNED,
                team_ids=team_ids,
                person_ids=_team_people(user, team_ids),
                company_ids=tuple(sorted(reach.company_ids)),
            )
        )
    if inboxes:
        # Whoever works on matters keeps those they handled after they moved on (经手的).
        inboxes.append(Inbox(InboxKind.HANDLED))
    inboxes.append(Inbox(InboxKind.MINE))
    return inboxes


def _team_people(user: Any, team_ids: tuple[int, ...]) -> tuple[int, ...]:
    """The user and the people of their teams (post holders and members), in one query."""
    staff = Post.objects.filter(active_q(), team_id__in=team_ids)
    members = Membership.objects.filter(active_q(), team_id__in=team_ids)
    both = (
        staff.values_list("person_id").order_by().union(members.values_list("person_id").order_by())
    )
    return tuple(sorted({user.person_id, *(pk for (pk,) in both)}))


def _subtrees(roots: tuple[str, ...]) -> Q:
    q = Q(pk__in=[])
    for root in roots:
        q |= subtree_q(root, "place_path")
    return q


def inbox_q(user: Any, inbox: Inbox) -> Q:
    """The role's own narrowing of the visible cases."""
    if inbox.kind in (InboxKind.AREA, InboxKind.COMMUNITY):
        return _subtrees(inbox.roots)
    if inbox.kind == InboxKind.SUBDISTRICT:
        return _subtrees(inbox.roots) & (Q(current_tier__gte=4) | Q(overdue=OverdueFlag.RED))
    if inbox.kind == InboxKind.ASSIGNED:
        # Each side is a list of ids, so each is an index scan of its own index.
        q = Q(assignee_team_id__in=inbox.team_ids) | Q(assignee_person_id__in=inbox.person_ids)
        if inbox.company_ids:
            q |= Q(estate_company_id__in=inbox.company_ids, current_tier=Tier.ESTATE)
        return q
    if inbox.kind == InboxKind.HANDLED:
        return handled_q(user)
    return Q(reporter_id=user.person_id) | Q(recorded_by_id=user.pk)


def _status_q(status: str) -> Q:
    if status == StatusFilter.ALL:
        return Q()
    if status == StatusFilter.OPEN:
        return Q(status__in=[s.value for s in OPEN_STATUSES])
    return Q(status=status)


def filters_q(user: Any, inbox: Inbox, filters: Filters) -> Q:
    """The inbox's own narrowing and the filters, as one condition."""
    q = inbox_q(user, inbox) & _status_q(filters.status or inbox.default_status)
    if filters.category_ids:
        q &= Q(category_id__in=filters.category_ids)
    if filters.tier:
        q &= Q(current_tier=filters.tier)
    if filters.overdue:
        q &= Q(overdue=filters.overdue)
    if filters.assigned == AssignedFilter.UNASSIGNED:
        q &= Q(assignee_person__isnull=True, assignee_team__isnull=True)
    elif filters.assigned == AssignedFilter.ASSIGNED:
        q &= Q(assignee_person__isnull=False) | Q(assignee_team__isnull=False)
    if filters.query.strip():
        q &= search_q(filters.query)
    return q


def _scoped(user: Any, inbox: Inbox) -> QuerySet[Case]:
    if inbox.roots:
        # A place inbox's roots are the places of some of the user's posts, which the scope
        # holds too: the scope's ranges keep it inside (and, unlike visible_to's "or
        # reported, recorded, assigned", PostgreSQL checks them in the index).
        return Case.objects.in_scope(scope_of(user))
    return Case.objects.visible_to(user)


def inbox_cases(user: Any, inbox: Inbox, filters: Filters | None = None) -> QuerySet[Case]:
    """The inbox's cases with the filters applied, in the order the page lists them."""
    filters = filters or Filters()
    queryset = _scoped(user, inbox).filter(filters_q(user, inbox, filters))
    if filters.sort in SORT_ORDERS:
        return queryset.order_by(*SORT_ORDERS[filters.sort])
    if inbox.kind in FOLLOWED_KINDS:
        return queryset.order_by("-reported_at", "-pk")
    return queryset.order_by(URGENCY, "-reported_at", "-pk")


def inbox_counts(user: Any, inbox: Inbox, named: dict[str, Filters]) -> dict[str, int]:
    """How many cases inbox_cases(user, inbox, filters) would list, for each of several
    filters, in one statement: the cases any of them selects are read once (for the work
    counts, the open ones: the partial open-case index) and each count takes its own."""
    conditions = {key: filters_q(user, inbox, f) for key, f in named.items()}
    if not conditions:
        return {}
    anyone = Q(pk__in=[])
    for condition in conditions.values():
        anyone |= condition
    counted = _scoped(user, inbox).filter(anyone).order_by()
    # Aliased apart from the fields: an aggregate named "overdue" would shadow the field the
    # conditions filter on.
    found = counted.aggregate(
        **{
            f"n_{key}": models.Count("pk", filter=condition)
            for key, condition in conditions.items()
        }
    )
    return {key: found[f"n_{key}"] for key in conditions}


# The columns a row shows; description and the search index stay on disk.
ROW_FIELDS = (
    "id",
    "number",
    "title",
    "status",
    "current_tier",
    "settled_tier",
    "overdue",
    "risk",
    "reported_at",
    "accept_due",
    "resolve_due",
    "follow_up_due",
    "place_path",
    "reporter_id",
    "recorded_by_id",
    "category_id",
    "place_id",
    "assignee_person_id",
    "assignee_team_id",
    "estate_company_id",  # what the rules ask of a row (a company's matter at the estate tier)
    "version",  # the desk's checkboxes carry it, so a dispatch never acts on a changed matter
)
# The page's rows by id with the names they show, as one prepared statement: every worker
# opens an inbox many times a day, and the ORM took ~5 ms to build this five-join query on
# the 2-CPU server for a statement PostgreSQL answers in 0.3 ms (shuren/rawsql.py).
ROWS_SQL = (  # names come from _meta (rawsql.sql), values are placeholders
    "SELECT "  # noqa: S608
    + ", ".join(f"{{c.{name}}}" for name in ROW_FIELDS)
    + ", {pl.name}, {pl.kind}, {pe.name}, {te.name} FROM {c} "
    "JOIN {pl} ON {pl.id} = {c.place} "
    "LEFT JOIN {pe} ON {pe.id} = {c.assignee_person} "
    "LEFT JOIN {te} ON {te.id} = {c.assignee_team} "
    "WHERE {c.id} IN ({{ids}})"
)


def page_rows(ids: list[int]) -> list[Case]:
    """The cases with these ids, in this order, carrying what a list row shows (the category
    with its parent, the place's name and kind, the assignee's names); other fields load on
    access."""
    if not ids:
        return []
    statement = rawsql.sql(ROWS_SQL, c=Case, pl=Place, pe=Person, te=Team)
    found = rawsql.rows(statement.format(ids=", ".join(["%s"] * len(ids))), ids)
    categories = categories_by_id()
    missing = {row[ROW_FIELDS.index("category_id")] for row in found} - set(categories)
    if missing:  # an inactive category, which the process keeps no copy of
        categories = {**categories, **Category.objects.select_related("parent").in_bulk(missing)}
    n = len(ROW_FIELDS)
    by_id: dict[int, Case] = {}
    for row in found:
        case = rawsql.instance(Case, ROW_FIELDS, row[:n])
        place_name, place_kind, person_name, team_name = row[n:]
        case.category = categories[case.category_id]
        case.place = rawsql.instance(
            Place, ("id", "name", "kind"), (case.place_id, place_name, place_kind)
        )
        if case.assignee_person_id:
            case.assignee_person = rawsql.instance(
                Person, ("id", "name"), (case.assignee_person_id, person_name)
            )
        else:
            case.assignee_person = None
        if case.assignee_team_id:
            case.assignee_team = rawsql.instance(
                Team, ("id", "name"), (case.assignee_team_id, team_name)
            )
        else:
            case.assignee_team = None
        by_id[case.pk] = case
    return [by_id[pk] for pk in ids if pk in by_id]


@dataclass
class InboxPage:
    """One page of an inbox: its rows, where it is, and a count that stops at COUNT_CAP."""

    rows: list[Case]
    number: int
    count: int
    capped: bool
    has_next: bool
    page_size: int = PAGE_SIZE

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        if self.capped:
            return None
        return max(1, -(-self.count // self.page_size))


def page_of(queryset: QuerySet[Case], number: Any, *, page_size: int = PAGE_SIZE) -> InboxPage:
    """The page's ids, from the cases table alone (so the planner sorts and cuts before
    anything is joined: at 1 M cases a subdistrict's page otherwise joins all ~1,000
    candidates to keep 21), then those rows with their names; and a count capped at
    COUNT_CAP, which the first page reads with its ids."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    ids: list[int] | None = None
    count: int | None = None
    if number == 1:
        # The first page's ids and the count in one statement: up to COUNT_CAP + 1 ids in
        # order, of which the page keeps its own (one query built instead of two).
        window = list(queryset.values_list("pk", flat=True)[: COUNT_CAP + 1])
        ids, count = window[: page_size + 1], len(window)
    if count is None:
        count = queryset.order_by()[: COUNT_CAP + 1].count()
    capped = count > COUNT_CAP
    if not capped:
        number = min(number, max(1, -(-count // page_size)))
    if ids is None:  # a later page, or one past the end that is now the last
        ids = _page_ids(queryset, (number - 1) * page_size, page_size) if count else []
    return InboxPage(
        rows=page_rows(ids[:page_size]),
        number=number,
        count=min(count, COUNT_CAP),
        capped=capped,
        has_next=len(ids) > page_size,
        page_size=page_size,
    )


def _page_ids(queryset: QuerySet[Case], start: int, page_size: int) -> list[int]:
    """One more id than the page holds, so the page knows whether another follows."""
    return list(queryset.values_list("pk", flat=True)[start : start + page_size + 1])
