"""What each role's home page shows: the sections of the home, built in few queries each."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.access.context import scope_of
from shuren.access.masking import mask_phone
from shuren.access.models import AccessLog
from shuren.audit.models import AuditEntry
from shuren.insights.alert_rows import AlertRow, open_alerts
from shuren.people.models import Post, Team
from shuren.people.roles import Role
from shuren.places.models import Household, Place, PlaceKind, Resident, Shop
from shuren.places.queries import (
    BranchCounts,
    HouseholdRow,
    area_counts,
    branch_counts,
    household_rows,
    households_under,
    total,
)

HOUSEHOLDS_PER_PAGE = 20
SHOPS_PER_PAGE = 20

# Which home section a post's role belongs to, in the order the sections are shown.
LEADER_GROUP = (
    Role.LOUZHANG,
    Role.XIANGZHANG,
    Role.JIEZHANG,
    Role.YEWEIHUI,
    Role.ZIZHI_ZUZHANG,
)
COMMUNITY_GROUP = (Role.SHEQU_SHUJI, Role.SHEQU_STAFF, Role.WANGGEYUAN)


@dataclass
class Section:
    template: str


@dataclass
class Member:
    person_id: int
    name: str
    relation: str
    phone: str  # masked


@dataclass
class ResidentHome:
    household: Household
    chain: list[Place]
    members: list[Member]


@dataclass
class AlertSection(Section):
    rows: list[AlertRow]


@dataclass
class ResidentSection(Section):
    homes: list[ResidentHome]


@dataclass
class LeaderSection(Section):
    """Where the user is leader, and how many households they look after (the register itself
    is its own page, 我的楼栋: building_register)."""

    posts: list[Post]
    household_count: int
    has_shops: bool = False


@dataclass
class BuildingRegister:
    """我的楼栋: the households (and a street leader's shops) under the user's leader posts,
    searched by room or resident's name, a page at a time."""

    posts: list[Post]
    query: str
    households: Page
    rows: list[HouseholdRow]
    shops: Page | None = None
    shop_rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class AreaSection(Section):
    """Places side by side with their counts: a community's estates, a subdistrict's
    communities, a property company's estates."""

    heading_places: list[Place]
    teams: list[Team]
    rows: list[BranchCounts]
    totals: dict[str, int]
    with_estates: bool = False


@dataclass
class MediatorSection(Section):
    workshops: list[Team]
    communities: list[Place]


@dataclass
class AdminSection(Section):
    roots: list[Place]
    children: list[Place]
    links: list[tuple[str, str]]


@dataclass
class AuditorSection(Section):
    entries_last_day: int
    audit_last_day: int  # audit-trail entries (logins, refusals, changes …) in the last 24 hours


@dataclass
class SecurityAdminSection(Section):
    links: list[tuple[str, str]]


def _admin_links(*targets: tuple[str, Any]) -> list[tuple[str, str]]:
    """(label, url) for each admin page that is registered; others are left out."""
    links = []
    for name, label in targets:
        try:
            links.append((str(label), reverse(name)))
        except NoReverseMatch:
            continue
    return links


def _my_posts(user: Any) -> list[Post]:
    if not user.person_id:
        return []
    return list(
        Post.objects.active()
        .filter(person_id=user.person_id)
        .select_related("place", "team")
        .order_by("role", "place__path", "pk")
    )


def _resident_section(user: Any) -> ResidentSection:
    scope = scope_of(user)
    households = list(
        Household.objects.visible_to(user)
        .filter(pk__in=sorted(scope.households))
        .select_related("place")
        .order_by("place__path", "room")
    )
    places = list(
        Place.objects.visible_to(user).filter(path__in=sorted(scope.home_paths)).order_by("path")
    )
    members_by_household: dict[int, list[Member]] = defaultdict(list)
    residents = (
        Resident.objects.visible_to(user)
        .current()
        .filter(household_id__in=[h.pk for h in households])
        .select_related("person")
        .order_by("household_id", "pk")
    )
    for r in residents:
        members_by_household[r.household_id].append(
            Member(
                person_id=r.person_id,
                name=r.person.name,
                relation=r.get_relation_display(),
                phone=mask_phone(r.person.phone),
            )
        )
    homes = [
        ResidentHome(
            household=h,
            chain=[p for p in places if h.place.path.startswith(p.path)],
            members=members_by_household[h.pk],
        )
        for h in households
    ]
    return ResidentSection(template="web/home/resident.html", homes=homes)


def _leader_section(user: Any, posts: list[Post]) -> LeaderSection:
    places = [p.place for p in posts if p.place is not None]
    return LeaderSection(
        template="web/home/leader.html",
        posts=posts,
        household_count=households_under(user, places).order_by().count(),
        has_shops=any(p.kind == PlaceKind.STREET for p in places),
    )


def leader_posts(user: Any) -> list[Post]:
    """The user's active posts as a building, lane or street leader (or the estate's own
    leaders: 业委会委员, 自治小组长), whose households they look after."""
    return [p for p in _my_posts(user) if p.role in LEADER_GROUP]


def building_register(
    user: Any, posts: list[Post], *, query: str = "", page: Any = 1, shop_page: Any = 1
) -> BuildingRegister:
    """The households under the posts' places, those whose room or a current resident's name
    holds `query` if one is given; the shops of any street among them."""
    places = [p.place for p in posts if p.place is not None]
    households = households_under(user, places)
    query = query.strip()[:50]
    if query:
        named = Resident.objects.current().filter(
            household=OuterRef("pk"), person__name__icontains=query
        )
        households = households.filter(Q(room__icontains=query) | Exists(named))
    found = Paginator(households, HOUSEHOLDS_PER_PAGE).get_page(page)
    register = BuildingRegister(
        posts=posts, query=query, households=found, rows=household_rows(found.object_list)
    )
    streets = [p.pk for p in places if p.kind == PlaceKind.STREET]
    if streets:
        shops = (
            Shop.objects.visible_to(user)
            .filter(place_id__in=streets)
            .select_related("contact")
            .order_by("code")
        )
        if query:
            shops = shops.filter(name__icontains=query)
        register.shops = Paginator(shops, SHOPS_PER_PAGE).get_page(shop_page)
        register.shop_rows = [
            {
                "name": s.name,
                "kind": s.get_kind_display(),
                "contact": s.contact.name if s.contact else "",
                "phone": mask_phone(s.contact.phone) if s.contact else "",
            }
            for s in register.shops.object_list
        ]
    return register


def _area_section(
    user: Any, template: str, parents: list[Place], *, with_estates: bool = False
) -> AreaSection:
    """The parents' totals and the places directly under them, side by side."""
    rows, totals = area_counts(user, parents, with_estates=with_estates)
    return AreaSection(
        template=template,
        heading_places=parents,
        teams=[],
        rows=rows,
        totals=totals,
        with_estates=with_estates,
    )


def _children_of(user: Any, parents: list[Place]) -> list[Place]:
    if not parents:
        return []
    return list(
        Place.objects.visible_to(user)
        .filter(parent_id__in=[p.pk for p in parents])
        .order_by("path")
    )


def home_sections(user: Any) -> list[Section]:
    """The sections of this user's home page, one per kind of post they hold, then their own
    household if they live in one the system knows."""
    posts = _my_posts(user)
    by_group: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.role in LEADER_GROUP:
            by_group["leader"].append(post)
        elif post.role in COMMUNITY_GROUP:
            by_group["community"].append(post)
        else:
            by_group[post.role].append(post)

    sections: list[Section] = []
    # The open alerts the user answers for come first, red first (issue 11).
    alerts = open_alerts(user)
    if alerts:
        sections.append(AlertSection(template="insights/alerts/_home.html", rows=alerts))
    if by_group["leader"]:
        sections.append(_leader_section(user, by_group["leader"]))
    if by_group["community"]:
        sections.append(
            _area_section(user, "web/home/community.html", _unique_places(by_group["community"]))
        )
    if by_group[Role.WUYE]:
        companies = _unique_teams(by_group[Role.WUYE])
        estates = Place.objects.visible_to(user).filter(property_company__in=companies)
        rows = branch_counts(user, estates.order_by("path"))
        sections.append(
            AreaSection(
                template="web/home/property.html",
                heading_places=[],
                teams=companies,
                rows=rows,
                totals=total(rows),
            )
        )
    if by_group[Role.TIAOJIEYUAN]:
        sections.append(
            MediatorSection(
                template="web/home/mediator.html",
                workshops=_unique_teams(by_group[Role.TIAOJIEYUAN]),
                communities=_unique_places(by_group[Role.TIAOJIEYUAN]),
            )
        )
    if by_group[Role.JIEDAO_STAFF]:
        sections.append(
            _area_section(
                user,
                "web/home/subdistrict.html",
                _unique_places(by_group[Role.JIEDAO_STAFF]),
                with_estates=True,
            )
        )
    if by_group[Role.SYSADMIN]:
        roots = _unique_places(by_group[Role.SYSADMIN])
        sections.append(
            AdminSection(
                template="web/home/sysadmin.html",
                roots=roots,
                children=_children_of(user, roots),
                links=_admin_links(
                    ("admin:places_place_changelist", _("Place tree")),
                    ("admin:places_household_changelist", _("Households")),
                    ("admin:people_person_changelist", _("Persons")),
                    ("admin:accounts_user_changelist", _("Users")),
                ),
            )
        )
    if by_group[Role.AUDITOR]:
        since = timezone.now() - timedelta(days=1)
        sections.append(
            AuditorSection(
                template="web/home/auditor.html",
                entries_last_day=AccessLog.objects.visible_to(user).filter(at__gte=since).count(),
                audit_last_day=AuditEntry.objects.filter(at__gte=since).count(),
            )
        )
    if by_group[Role.SECADMIN]:
        sections.append(
            SecurityAdminSection(
                template="web/home/secadmin.html",
                links=_admin_links(
                    ("admin:axes_accessattempt_changelist", _("Failed logins and lockouts")),
                    ("admin:accounts_user_changelist", _("Users")),
                ),
            )
        )
    if scope_of(user).is_resident:
        sections.append(_resident_section(user))
    return sections


def _unique_places(posts: list[Post]) -> list[Place]:
    seen: dict[int, Place] = {}
    for post in posts:
        if post.place is not None:
            seen.setdefault(post.place.pk, post.place)
    return sorted(seen.values(), key=lambda p: p.path)


def _unique_teams(posts: list[Post]) -> list[Team]:
    seen: dict[int, Team] = {}
    for post in posts:
        if post.team is not None:
            seen.setdefault(post.team.pk, post.team)
    return sorted(seen.values(), key=lambda t: t.name)
