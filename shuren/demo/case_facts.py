"""What the demo's case plan reads from the loaded demo (places, leaders, homes, logins), and
the small helpers the plan's modules share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from shuren.cases.models import Category
from shuren.people.models import Post, Team, TeamKind
from shuren.people.roles import Role
from shuren.places.models import Place, PlaceKind, Relation, Resident
from shuren.workdays.calendar import SHANGHAI

# Kept on the REPORTED event of every historical case of the demo: a second load sees it.
DEMO_SOURCE = "shuren-demo"
TIER1_ROLES = (Role.LOUZHANG, Role.XIANGZHANG, Role.JIEZHANG)
# The demo logins who act on cases, the place their post covers and the tier they act at.
HANDLERS = (
    ("demo-louzhang", "GC-JD-JYLW-B01", 1),
    ("demo-louzhang2", "GC-JD-JYLW-B02", 1),
    ("demo-xiangzhang", "GC-JB-L01", 1),
    ("demo-jiezhang", "GC-GY-S01", 1),
    ("demo-wuye", "GC-JD-JYLW", 2),
    ("demo-shequ", "GC-JD", 3),
    ("demo-shequ2", "GC-TC", 3),
    ("demo-jiedao", "GC", 4),
    ("demo-jiedao", "GC", 5),
)
LOGINS = ("demo-resident", "demo-wangge", "demo-tiaojie", *{h[0] for h in HANDLERS})
EARLY = dt.date(2000, 1, 1)
# A planned step: hours after the report, the EventKind, the tier of who takes it, and the
# HistoricalStep fields it sets.
Plan = tuple[float, str, int, dict[str, Any]]


# --- What the plan needs to know of the loaded demo --------------------------------------------


@dataclass(frozen=True)
class PlaceRow:
    pk: int
    code: str
    path: str
    kind: str
    parent: str | None
    company_id: int | None

    def stub(self) -> Place:
        return Place(pk=self.pk, code=self.code, path=self.path, kind=self.kind)


@dataclass(frozen=True)
class Home:
    person_id: int
    place: str
    room: str
    moved_in: dt.date


@dataclass
class Facts:
    places: dict[str, PlaceRow]
    categories: dict[str, Category]
    tier1_at: dict[str, dt.date]  # place code -> the first day a 楼长/巷长/街长 served there
    tier2_at: dict[str, dt.date]  # estate code -> the first day someone answered at tier 2
    homes: dict[str, list[Home]]  # household place code -> its adults
    users: dict[str, tuple[int, int | None]]  # username -> (user id, person id)
    since: dict[str, dt.date]  # username -> the first day of their post
    teams: dict[str, int]  # team code -> pk
    children: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for row in self.places.values():
            if row.parent:
                self.children.setdefault(row.parent, []).append(row.code)

    @classmethod
    def read(cls) -> Facts:
        places = {
            row[1]: PlaceRow(*row)
            # By code: the same plan on every database, whatever keys it gave the places.
            for row in Place.objects.order_by("code").values_list(
                "pk", "code", "path", "kind", "parent__code", "property_company_id"
            )
        }
        tier1_at: dict[str, dt.date] = {}
        for code, on in Post.objects.filter(role__in=TIER1_ROLES).values_list(
            "place__code", "starts_on"
        ):
            tier1_at[code] = min(on, tier1_at.get(code, on))
        tier2_at = {r.code: EARLY for r in places.values() if r.company_id}
        groups = Team.objects.filter(
            kind__in=[TeamKind.SELF_GOVERNANCE, TeamKind.MUTUAL_AID, TeamKind.HOMEOWNERS_COMMITTEE],
            place__kind=PlaceKind.ESTATE,
        ).values_list("place__code", "founded_on")
        for code, founded in groups:
            on = founded or EARLY
            tier2_at[code] = min(on, tier2_at.get(code, on))
        homes: dict[str, list[Home]] = {}
        adults = Resident.objects.filter(
            relation__in=[Relation.HEAD, Relation.SPOUSE, Relation.TENANT]
        ).values_list("person_id", "household__place__code", "household__room", "moved_in_on")
        for person_id, code, room, moved_in in adults.order_by("pk"):
            homes.setdefault(code, []).append(Home(person_id, code, room, moved_in or EARLY))
        users: dict[str, tuple[int, int | None]] = {
            name: (pk, person_id)
            for name, pk, person_id in get_user_model()
            .objects.filter(username__in=LOGINS)
            .values_list("username", "pk", "person_id")
        }
        by_person = {person_id: name for name, (_pk, person_id) in users.items() if person_id}
        since: dict[str, dt.date] = {}
        for person_id, on in Post.objects.filter(person_id__in=list(by_person)).values_list(
            "person_id", "starts_on"
        ):
            name = by_person[person_id]
            since[name] = min(on, since.get(name, on))
        categories = {c.code: c for c in Category.objects.select_related("parent")}
        teams = dict(Team.objects.values_list("code", "pk"))
        return cls(places, categories, tier1_at, tier2_at, homes, users, since, teams)

    def ancestors(self, code: str) -> Iterator[PlaceRow]:
        row: PlaceRow | None = self.places[code]
        while row is not None:
            yield row
            row = self.places[row.parent] if row.parent else None

    def user_id(self, username: str) -> int | None:
        return self.users[username][0] if username in self.users else None

    def person_id(self, username: str) -> int | None:
        return self.users[username][1] if username in self.users else None


def aware(day: dt.date, hour: float) -> dt.datetime:
    minutes = round(hour * 60)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=SHANGHAI)


def months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out
