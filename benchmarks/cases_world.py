"""The city the cases benchmark fills: places, persons, households, teams, posts, users and tokens,
drawn from one seed as rows whose primary keys are given up front (so COPY needs no round trip).

Shape, per subdistrict (Guicheng's, from the article): 23 communities and about 150 estates
(4-9 per community, three in four managed by a property company), 0-2 old-village lanes and
one street per community; 4-20 buildings per estate with 1-3 stairwells of 8-32 households,
6-15 houses per lane with 2-6 households each. Every household has one person (its owner, who
lives there). Every building, lane and street has its leader (a resident of it, 楼长/巷长/街长);
every community 4 staff, a secretary and 2 grid workers; every subdistrict 8 staff; every
property company 2 staff. All post holders, and a few residents who report through the API,
have a login; they all share one password hash (one Argon2 computation for the whole city).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shuren.demo.identities import GIVEN_FEMALE, GIVEN_MALE, SURNAMES

STEP_LEN = 10  # shuren.places.models.STEP_LEN: a path step is the zero-padded primary key
CODE = "BX"  # every code the benchmark writes starts with it, apart from the demo's own

SURNAME_CHARS = [s for s, _w in SURNAMES]
SURNAME_WEIGHTS = [w for _s, w in SURNAMES]
COMMUNITY_NAMES = (
    "尖东同成江滨桂雅东二东华海三海五叠北叠南夏北夏南平南平东南约灯湖桂园华翠蟠龙季华石翠映月宝翠"
)
ESTATE_WORDS = "金域蓝湾中央翠园雅居华庭豪苑花园新村明珠嘉园锦绣天悦御景君悦碧桂海逸星河凤凰城东湖"
STREET_WORDS = "南海大道桂澜路南桂路海三路灯湖路佛平路宝石路文华路"


def step(pk: int) -> str:
    return str(pk).zfill(STEP_LEN)


class Ids:
    """The next free primary key per table, starting above what the database already holds."""

    def __init__(self, start: dict[str, int]) -> None:
        self.next = dict(start)

    def take(self, table: str, n: int = 1) -> int:
        first = self.next[table]
        self.next[table] = first + n
        return first


@dataclass
class Table:
    """Rows for one model: attribute names (attname) and one tuple per row, in that order."""

    model: Any
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(slots=True)
class Spot:
    """A place where matters happen, with what the case generator needs to know about it."""

    place_id: int
    path: str
    level: str  # unit | building | house | estate | lane | street | community
    weight: float
    persons: tuple[int, int]  # person ids [lo, hi) living at or below the place
    leader_person: int | None  # the 楼长/巷长/街长 in charge
    leader_user: int | None  # their login, for quick entries
    company: int | None  # the property company's team id (estates and below)
    community: int  # index of the community, 0-based, across the city
    label: str  # "3栋2单元", for titles


@dataclass
class World:
    tables: dict[str, Table]
    spots: list[Spot]
    community_staff: dict[int, list[int]]  # community index -> person ids of its staff
    company_staff: dict[int, list[int]]  # team id -> person ids
    measured: dict[str, dict[str, Any]]  # role -> {"user": id, "username": ..., "place": ...}
    intake: list[dict[str, Any]]  # residents reporting through the API: user, token, place
    counts: dict[str, int]


class Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def person(self) -> str:
        rng = self.rng
        surname = rng.choices(SURNAME_CHARS, SURNAME_WEIGHTS)[0]
        chars = GIVEN_MALE if rng.random() < 0.5 else GIVEN_FEMALE
        return surname + "".join(rng.choice(chars) for _ in range(1 if rng.random() < 0.3 else 2))

    def phone(self) -> str:
        rng = self.rng
        return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"

    def estate(self) -> str:
        rng = self.rng
        i = rng.randrange(0, len(ESTATE_WORDS) - 1)
        j = rng.randrange(0, len(ESTATE_WORDS) - 1)
        return ESTATE_WORDS[i : i + 2] + ESTATE_WORDS[j : j + 2]


class Builder:
    """Builds the world into Tables; all randomness comes from one seeded Random."""

    def __init__(self, *, models: Any, ids: Ids, seed: int, now: dt.datetime) -> None:
        self.m = models
        self.ids = ids
        self.rng = random.Random(seed)
        self.names = Names(self.rng)
        self.now = now
        self.today = now.date()
        m = models
        self.places = Table(
            m.Place,
            (
                "id",
                "kind",
                "name",
                "code",
                "official_code",
                "parent_id",
                "path",
                "depth",
                "property_company_id",
                "storeys",
                "floor_from",
                "floor_to",
                "address",
                "version",
                "created_at",
                "updated_at",
            ),
        )
        self.teams = Table(
            m.Team,
            ("id", "kind", "name", "code", "place_id", "description", "founded_on", "dissolved_on"),
        )
        self.persons = Table(
            m.Person,
            (
                "id",
                "name",
                "phone",
                "id_number",
                "party_member",
                "code",
                "version",
                "created_at",
                "updated_at",
            ),
        )
        self.households = Table(
            m.Household,
            (
                "id",
                "place_id",
                "code",
                "room",
                "floor",
                "exclusive_area",
                "version",
                "created_at",
                "updated_at",
            ),
        )
        self.owners = Table(m.Household.owners.through, ("id", "household_id", "person_id"))
        self.residents = Table(
            m.Resident,
            ("id", "household_id", "person_id", "relation", "moved_in_on", "moved_out_on"),
        )
        self.posts = Table(
            m.Post,
            ("id", "person_id", "role", "place_id", "team_id", "title", "starts_on", "ends_on"),
        )
        self.users = Table(
            m.User,
            (
                "id",
                "password",
                "last_login",
                "is_superuser",
                "username",
                "first_name",
                "last_name",
                "email",
                "is_staff",
                "is_active",
                "date_joined",
                "person_id",
                "elder_mode",
                "language",
            ),
        )
        self.tokens = Table(
            m.ApiToken,
            (
                "id",
                "user_id",
                "name",
                "prefix",
                "token_hash",
                "created_at",
                "last_used_at",
                "revoked_at",
            ),
        )
        self.spots: list[Spot] = []
        self.community_staff: dict[int, list[int]] = {}
        self.company_staff: dict[int, list[int]] = {}
        self.user_of_person: dict[int, int] = {}
        self.subdistrict_paths: list[str] = []
        self.password = ""

    # --- rows --------------------------------------------------------------------------------

    def place(
        self,
        kind: str,
        name: str,
        code: str,
        parent: tuple[int, str, int] | None,
        *,
        company: int | None = None,
        storeys: int | None = None,
        address: str = "",
    ) -> tuple[int, str, int]:
        pk = self.ids.take("place")
        path = (parent[1] if parent else "") + step(pk)
        depth = parent[2] + 1 if parent else 0
        self.places.rows.append(
            (
                pk,
                kind,
                name,
                code,
                "",
                parent[0] if parent else None,
                path,
                depth,
                company,
                storeys,
                None,
                None,
                address,
                1,
                self.now,
                self.now,
            )
        )
        return pk, path, depth

    def person(self, code: str) -> int:
        pk = self.ids.take("person")
        self.persons.rows.append(
            (
                pk,
                self.names.person(),
                self.names.phone(),
                "",
                self.rng.random() < 0.1,
                code,
                1,
                self.now,
                self.now,
            )
        )
        return pk

    def user(self, person: int, username: str) -> int:
        pk = self.ids.take("user")
        self.users.rows.append(
            (
                pk,
                self.password,
                None,
                False,
                username,
                "",
                "",
                "",
                False,
                True,
                self.now,
                person,
                False,
                "",
            )
        )
        self.user_of_person[person] = pk
        return pk

    def post(
        self, person: int, role: str, *, place: int | None = None, team: int | None = None
    ) -> None:
        starts = dt.date(2011, 8, 1) + dt.timedelta(days=self.rng.randrange(0, 3000))
        self.posts.rows.append(
            (self.ids.take("post"), person, role, place, team, "", min(starts, self.today), None)
        )

    def households_at(
        self, place: tuple[int, str, int], code: str, n: int, floors: int
    ) -> tuple[int, int]:
        """n households (one owner-resident each) on a stairwell or house; their person ids."""
        lo = self.ids.next["person"]
        per_floor = max(1, -(-n // floors))
        for i in range(n):
            floor = 1 + i // per_floor
            room = f"{floor}{1 + i % per_floor:02d}"
            hh = self.ids.take("household")
            self.households.rows.append(
                (
                    hh,
                    place[0],
                    f"{code}-{room}",
                    room,
                    floor,
                    Decimal(self.rng.randrange(4500, 14000)) / 100,
                    1,
                    self.now,
                    self.now,
                )
            )
            person = self.person(f"{code}-{room}")
            self.owners.rows.append((self.ids.take("owner"), hh, person))
            moved_in = dt.date(1995, 1, 1) + dt.timedelta(days=self.rng.randrange(0, 10000))
            self.residents.rows.append(
                (self.ids.take("resident"), hh, person, "head", min(moved_in, self.today), None)
            )
        return lo, self.ids.next["person"]

    # --- the city ----------------------------------------------------------------------------

    def build(
        self,
        *,
        subdistricts: int,
        communities: int,
        estates: int,
        password_hash: str,
        intake_users: int,
    ) -> World:
        self.password = password_hash
        rng = self.rng
        community_index = 0
        for s in range(subdistricts):
            scode = f"{CODE}{s + 1:02d}"
            sub = self.place("subdistrict", f"第{s + 1}街道", scode, None)
            self.subdistrict_paths.append(sub[1])
            for _ in range(8):
                staff = self.person(f"{scode}-staff-{self.ids.next['person']}")
                self.post(staff, "jiedao_staff", place=sub[0])
                self.user(staff, f"bx-jiedao-{staff}")
            per_community = self._spread(estates, communities)
            companies = [self.ids.take("team") for _ in range(max(1, estates // 4))]
            company_home: dict[int, int] = {}
            for c in range(communities):
                ccode = f"{scode}-C{c + 1:02d}"
                name = COMMUNITY_NAMES[(c % 23) * 2 : (c % 23) * 2 + 2] + "社区"
                com = self.place("community", name, ccode, sub)
                self._community_staff(com, ccode, community_index)
                self.spots.append(
                    Spot(
                        com[0],
                        com[1],
                        "community",
                        20.0,
                        (0, 0),
                        None,
                        None,
                        None,
                        community_index,
                        name,
                    )
                )
                for team in companies[c::communities]:
                    company_home.setdefault(team, com[0])
                lo_c = self.ids.next["person"]
                for e in range(per_community[c]):
                    company = rng.choice(companies) if rng.random() < 0.75 else None
                    self._estate(com, f"{ccode}-E{e + 1:02d}", company, community_index)
                for lane_no in range(rng.choice((0, 1, 1, 2))):
                    self._lane(com, f"{ccode}-L{lane_no + 1}", community_index)
                street = self.place(
                    "street",
                    rng.choice(("南海大道", "桂澜路", "南桂路", "佛平路")),
                    f"{ccode}-S1",
                    com,
                )
                leader = self.person(f"{ccode}-S1-jiezhang")
                self.post(leader, "jiezhang", place=street[0])
                user = self.user(leader, f"bx-jiezhang-{leader}")
                self.spots.append(
                    Spot(
                        street[0],
                        street[1],
                        "street",
                        50.0,
                        (lo_c, self.ids.next["person"]),
                        leader,
                        user,
                        None,
                        community_index,
                        "街面",
                    )
                )
                community_index += 1
            for n, team in enumerate(companies):
                home = company_home.get(team, sub[0])
                self.teams.rows.append(
                    (
                        team,
                        "property_company",
                        f"{self.names.estate()}物业{n + 1}",
                        f"{scode}-WY{n + 1:03d}",
                        home,
                        "",
                        None,
                        None,
                    )
                )
                staff_ids = []
                for k in range(2):
                    person = self.person(f"{scode}-WY{n + 1:03d}-{k}")
                    self.post(person, "wuye", team=team)
                    self.user(person, f"bx-wuye-{person}")
                    staff_ids.append(person)
                self.company_staff[team] = staff_ids
        intake = self._intake_users(intake_users)
        measured = self._measured()
        counts = {
            "places": len(self.places.rows),
            "teams": len(self.teams.rows),
            "persons": len(self.persons.rows),
            "households": len(self.households.rows),
            "residents": len(self.residents.rows),
            "posts": len(self.posts.rows),
            "users": len(self.users.rows),
        }
        tables = {
            "place": self.places,
            "team": self.teams,
            "person": self.persons,
            "household": self.households,
            "owner": self.owners,
            "resident": self.residents,
            "post": self.posts,
            "user": self.users,
            "token": self.tokens,
        }
        return World(
            tables, self.spots, self.community_staff, self.company_staff, measured, intake, counts
        )

    def _spread(self, total: int, parts: int) -> list[int]:
        """total split over parts, each 4-9 where possible, summing exactly to total."""
        base = [total // parts] * parts
        for i in range(total - sum(base)):
            base[i % parts] += 1
        for _ in range(parts * 2):
            i, j = self.rng.randrange(parts), self.rng.randrange(parts)
            if base[i] > 4 and base[j] < 9:
                base[i] -= 1
                base[j] += 1
        return base

    def _community_staff(self, com: tuple[int, str, int], code: str, index: int) -> None:
        staff = []
        for k, role in enumerate(["shequ_staff"] * 4 + ["shequ_shuji"] + ["wanggeyuan"] * 2):
            person = self.person(f"{code}-staff-{k}")
            self.post(person, role, place=com[0])
            self.user(person, f"bx-{role.replace('_', '-')}-{person}")
            staff.append(person)
        self.community_staff[index] = staff

    def _estate(self, com: tuple[int, str, int], code: str, company: int | None, cidx: int) -> None:
        rng = self.rng
        name = self.names.estate()
        estate = self.place("estate", name, code, com, company=company)
        lo_e = self.ids.next["person"]
        for b in range(rng.randint(4, 20)):
            storeys = rng.choice((6, 7, 8, 9, 11, 18, 26, 32, 33))
            bcode = f"{code}-B{b + 1:02d}"
            building = self.place("building", f"{name}{b + 1}栋", bcode, estate, storeys=storeys)
            lo_b = self.ids.next["person"]
            units = []
            for u in range(rng.choice((1, 2, 2, 3))):
                unit = self.place("unit", f"{u + 1}单元", f"{bcode}-U{u + 1}", building)
                n = rng.randint(8, 32)
                persons = self.households_at(unit, f"{bcode}-U{u + 1}", n, storeys)
                units.append((unit, persons, n, f"{b + 1}栋{u + 1}单元"))
            hi_b = self.ids.next["person"]
            leader = lo_b  # the first household's owner leads the building
            self.post(leader, "louzhang", place=building[0])
            user = self.user(leader, f"bx-louzhang-{leader}")
            total = hi_b - lo_b
            self.spots.append(
                Spot(
                    building[0],
                    building[1],
                    "building",
                    total * 0.15,
                    (lo_b, hi_b),
                    leader,
                    user,
                    company,
                    cidx,
                    f"{b + 1}栋",
                )
            )
            for unit, persons, n, label in units:
                self.spots.append(
                    Spot(
                        unit[0],
                        unit[1],
                        "unit",
                        float(n),
                        persons,
                        leader,
                        user,
                        company,
                        cidx,
                        label,
                    )
                )
        hi_e = self.ids.next["person"]
        if company is None:
            # 无物业小区: a self-governance group leader answers at tier 2.
            self.post(lo_e + 1, "zizhi_zuzhang", place=estate[0])
            self.user(lo_e + 1, f"bx-zizhi-{lo_e + 1}")
        self.spots.append(
            Spot(
                estate[0],
                estate[1],
                "estate",
                (hi_e - lo_e) * 0.12,
                (lo_e, hi_e),
                None,
                None,
                company,
                cidx,
                name,
            )
        )

    def _lane(self, com: tuple[int, str, int], code: str, cidx: int) -> None:
        rng = self.rng
        lane = self.place("lane", f"{rng.choice('东南西北')}{rng.randint(1, 9)}巷", code, com)
        lo = self.ids.next["person"]
        houses = []
        for h in range(rng.randint(6, 15)):
            house = self.place("building", f"{h + 1}号", f"{code}-H{h + 1:02d}", lane, storeys=3)
            n = rng.randint(2, 6)
            persons = self.households_at(house, f"{code}-H{h + 1:02d}", n, 3)
            houses.append((house, persons, n, f"{h + 1}号"))
        hi = self.ids.next["person"]
        self.post(lo, "xiangzhang", place=lane[0])
        user = self.user(lo, f"bx-xiangzhang-{lo}")
        for house, persons, n, label in houses:
            self.spots.append(
                Spot(house[0], house[1], "house", float(n), persons, lo, user, None, cidx, label)
            )
        self.spots.append(
            Spot(lane[0], lane[1], "lane", (hi - lo) * 0.12, (lo, hi), lo, user, None, cidx, "巷内")
        )

    def _intake_users(self, n: int) -> list[dict[str, Any]]:
        """Residents of stairwells spread over the city, each with a login and an API token."""
        units = [s for s in self.spots if s.level == "unit"]
        chosen = units[:: max(1, len(units) // n)][:n]
        intake = []
        for spot in chosen:
            person = (
                spot.persons[0] + 1 if spot.persons[1] - spot.persons[0] > 1 else spot.persons[0]
            )
            user = self.user_of_person.get(person) or self.user(person, f"bx-resident-{person}")
            raw = "shuren_" + secrets.token_urlsafe(32)
            self.tokens.rows.append(
                (
                    self.ids.take("token"),
                    user,
                    "benchmark",
                    raw[:13],
                    hashlib.sha256(raw.encode()).hexdigest(),
                    self.now,
                    None,
                    None,
                )
            )
            intake.append({"user": user, "token": raw, "place": spot.place_id, "path": spot.path})
        return intake

    def _measured(self) -> dict[str, dict[str, Any]]:
        """The inbox owners: the leader of the largest building of the first community, that
        community's first staff member, the first subdistrict's first staff member, and the
        first staff member of the property company managing the most estates."""
        buildings = [s for s in self.spots if s.level == "building" and s.community == 0]
        leader_spot = max(buildings, key=lambda s: s.persons[1] - s.persons[0])
        by_username = {row[4]: row for row in self.users.rows}
        first_jiedao = next(u for u in by_username if u.startswith("bx-jiedao-"))
        staff_person = self.community_staff[0][0]
        managed = Counter(s.company for s in self.spots if s.level == "estate" and s.company)
        company, estates = managed.most_common(1)[0]
        return {
            "leader": {
                "user": leader_spot.leader_user,
                "place_path": leader_spot.path,
                "households": leader_spot.persons[1] - leader_spot.persons[0],
            },
            "community_staff": {
                "user": self.user_of_person[staff_person],
                "place_path": next(s.path for s in self.spots if s.level == "community"),
            },
            "subdistrict_staff": {
                "user": by_username[first_jiedao][0],
                "place_path": self.subdistrict_paths[0],
            },
            "property_company": {
                "user": self.user_of_person[self.company_staff[company][0]],
                "estates": estates,
            },
        }
