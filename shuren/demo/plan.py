"""The demo as data: every place, team, person, household, post and login, drawn from one seed.

Building the plan touches no database. The same seed gives the same plan, codes and all, which
is what makes loading it twice a no-op (see shuren/demo/actions.py).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from shuren.demo import data
from shuren.demo.identities import Identity, IdentityMaker
from shuren.people.models import MembershipRole
from shuren.places.models import Relation


@dataclass(frozen=True)
class PlaceSpec:
    code: str
    kind: str
    name: str
    parent: str | None
    official_code: str = ""
    storeys: int | None = None
    floor_from: int | None = None
    floor_to: int | None = None
    company: str | None = None  # team code of the property company
    address: str = ""


@dataclass(frozen=True)
class TeamSpec:
    code: str
    kind: str
    name: str
    place: str
    founded_on: dt.date | None = None
    description: str = ""


@dataclass(frozen=True)
class PersonSpec:
    code: str
    name: str
    phone: str = ""
    id_number: str = ""
    party_member: bool = False


@dataclass(frozen=True)
class HouseholdSpec:
    code: str
    place: str
    room: str
    floor: int | None
    area: Decimal
    owners: tuple[str, ...]


@dataclass(frozen=True)
class ResidentSpec:
    household: str
    person: str
    relation: str
    moved_in_on: dt.date


@dataclass(frozen=True)
class ShopSpec:
    code: str
    place: str
    name: str
    kind: str
    address: str
    contact: str


@dataclass(frozen=True)
class PostSpec:
    person: str
    role: str
    place: str | None
    team: str | None
    starts_on: dt.date
    title: str = ""


@dataclass(frozen=True)
class MembershipSpec:
    team: str
    person: str
    role: str
    starts_on: dt.date


@dataclass(frozen=True)
class LoginSpec:
    username: str
    person: str
    role: str  # shown in the login table: Chinese with English in brackets
    where: str
    is_staff: bool = False


@dataclass
class Plan:
    places: list[PlaceSpec] = field(default_factory=list)
    teams: list[TeamSpec] = field(default_factory=list)
    persons: dict[str, PersonSpec] = field(default_factory=dict)
    households: list[HouseholdSpec] = field(default_factory=list)
    residents: list[ResidentSpec] = field(default_factory=list)
    shops: list[ShopSpec] = field(default_factory=list)
    posts: list[PostSpec] = field(default_factory=list)
    memberships: list[MembershipSpec] = field(default_factory=list)
    logins: list[LoginSpec] = field(default_factory=list)


@dataclass
class Family:
    household: str
    head: str  # person code of the head (or first tenant)
    rented: bool


@dataclass
class Estate:
    code: str
    name: str
    community: str
    old: bool
    leaders: list[str] = field(default_factory=list)  # person codes


def date_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


class Planner:
    def __init__(self, seed: int = data.SEED) -> None:
        self.rng = random.Random(seed)
        self.ids = IdentityMaker(self.rng)
        self.plan = Plan()
        self.estates: list[Estate] = []
        # Who holds each demo login, by a short name ("louzhang" -> person code).
        self.marked: dict[str, str] = {}
        self.since: dict[str, dt.date] = {}  # leader person code -> first day of their post

    # --- small builders -------------------------------------------------------------------

    def place(self, code: str, kind: str, name: str, parent: str | None, **extra: object) -> str:
        self.plan.places.append(PlaceSpec(code, kind, name, parent, **extra))  # type: ignore[arg-type]
        return code

    def person(self, code: str, who: Identity, party: bool = False) -> str:
        self.plan.persons[code] = PersonSpec(code, who.name, who.phone, who.id_number, party)
        return code

    def staff(
        self, code: str, born_from: int = 1968, born_to: int = 1996, party: bool = False
    ) -> str:
        return self.person(code, self.ids.person(born_from=born_from, born_to=born_to), party)

    def post(
        self,
        person: str,
        role: str,
        place: str | None = None,
        team: str | None = None,
        *,
        since: dt.date,
        title: str = "",
    ) -> None:
        self.plan.posts.append(PostSpec(person, role, place, team, since, title))

    def member(
        self, team: str, person: str, since: dt.date, role: str = MembershipRole.MEMBER
    ) -> None:
        self.plan.memberships.append(MembershipSpec(team, person, role, since))

    def team(
        self, code: str, kind: str, name: str, place: str, founded: dt.date | None = None
    ) -> str:
        self.plan.teams.append(TeamSpec(code, kind, name, place, founded))
        return code

    def family(
        self, code: str, place: str, room: str, floor: int | None, area: Decimal, rented: float
    ) -> Family:
        """One household with 1-4 residents; a rented flat's owner lives elsewhere."""
        rng, ids = self.rng, self.ids
        is_rented = rng.random() < rented
        size = rng.choices((1, 2, 3, 4), (15, 35, 30, 20))[0]
        head = ids.person(born_from=1950, born_to=1993)
        year, surname = head.born.year, head.name[0]
        members: list[tuple[Identity, str]] = [(head, Relation.HEAD)]
        if size >= 2:
            spouse = ids.person(
                born_from=max(1945, year - 5), born_to=min(1998, year + 5), male=not head.male
            )
            members.append((spouse, Relation.SPOUSE))
        while len(members) < size:
            if year < 1975 and rng.random() < 0.25:
                parent = ids.person(born_from=year - 36, born_to=year - 22, surname=surname)
                members.append((parent, Relation.PARENT))
            else:
                born = rng.randint(year + 22, min(year + 38, 2022))
                child = ids.person(
                    born_from=born, born_to=born, surname=surname, with_phone=born <= 2008
                )
                members.append((child, Relation.CHILD))
        moved_in = date_between(rng, dt.date(2008, 1, 1), dt.date(2019, 6, 30))
        codes = []
        for i, (who, relation) in enumerate(members, start=1):
            adult = who.born.year <= 2001
            person = self.person(f"{code}-{i}", who, party=adult and rng.random() < 0.04)
            self.plan.residents.append(
                ResidentSpec(code, person, Relation.TENANT if is_rented else relation, moved_in)
            )
            codes.append(person)
        if is_rented:
            owners: tuple[str, ...] = (
                self.person(f"{code}-O", ids.person(born_from=1950, born_to=1985)),
            )
        elif len(codes) > 1 and members[1][1] == Relation.SPOUSE and rng.random() < 0.5:
            owners = (codes[0], codes[1])
        else:
            owners = (codes[0],)
        self.plan.households.append(HouseholdSpec(code, place, room, floor, area, owners))
        return Family(code, codes[0], is_rented)

    def area(self, low: int, high: int) -> Decimal:
        return Decimal(self.rng.randint(low * 100, high * 100)) / 100

    def split_exactly(self, total: int, bounds: list[tuple[int, int]]) -> list[int]:
        """Random values within bounds that add up to total (the article's exact numbers)."""
        values = [self.rng.randint(lo, hi) for lo, hi in bounds]
        while (diff := total - sum(values)) != 0:
            i = self.rng.randrange(len(values))
            lo, hi = bounds[i]
            step = 1 if diff > 0 else -1
            if lo <= values[i] + step <= hi:
                values[i] += step
        return values
