"""The shared test world: one small Guicheng with one named user per role and tier.

Every test in the suite uses these same people (as healthchecks uses alice, bob and charlie):
`demo-louzhang` leads building 1 of 金域蓝湾, `demo-shequ2` works in the sibling community 同成,
and so on. The world is built once per test session and rolled back after each test.

Fixture data, like the demo loader's seed data, is written straight into the tables (places,
posts, teams, households …) rather than through the actions: it is the world the actions are
tested in, it has no actor to authorize, and it starts with no history (no events, an empty
outbox), so a test sees exactly what its own actions wrote.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from shuren.kernel.outbox import drain
from shuren.people.models import Membership, Person, Post, Team, TeamKind
from shuren.people.roles import Role
from shuren.places.models import Household, Place, PlaceKind, Resident, Shop, ShopKind
from shuren.places.paths import path_step
from shuren.places.tree import check_parent

PASSWORD = "Test-password-2026"  # noqa: S105 - the test world's own logins
START = dt.date(2019, 1, 1)


def _place(code: str, kind: str, name: str, parent: Place | None, **extra: Any) -> Place:
    existing = Place.objects.filter(code=code).first()
    if existing:
        return existing
    check_parent(kind, parent)
    place = Place.objects.create(
        kind=kind,
        name=name,
        code=code,
        parent=parent,
        path=f"~{code}",  # the real path needs the primary key
        depth=parent.depth + 1 if parent else 0,
        **extra,
    )
    place.path = (parent.path if parent else "") + path_step(place.pk)
    place.save(update_fields=["path"])
    return place


def _team(code: str, kind: str, name: str, place: Place) -> Team:
    team, _ = Team.objects.get_or_create(
        code=code, defaults={"kind": kind, "name": name, "place": place}
    )
    return team


def _person(code: str, name: str, phone: str, id_number: str = "", party: bool = False) -> Person:
    person, _ = Person.objects.get_or_create(
        code=code,
        defaults={"name": name, "phone": phone, "id_number": id_number, "party_member": party},
    )
    return person


def _household(
    code: str, place: Place, room: str, area: str, *people: tuple[Person, str]
) -> Household:
    household, created = Household.objects.get_or_create(
        code=code,
        defaults={"place": place, "room": room, "exclusive_area": Decimal(area)},
    )
    if created:
        for person, relation in people:
            Resident.objects.create(household=household, person=person, relation=relation)
        household.owners.add(people[0][0])
    return household


def _user(username: str, person: Person | None, password: Callable[[], str], **flags: Any) -> Any:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, person=person, **flags)
        user.password = password()
        user.save()
    return user


def _post(person: Person, role: str, place: Place | None = None, team: Team | None = None) -> None:
    Post.objects.get_or_create(
        person=person, role=role, place=place, team=team, defaults={"starts_on": START}
    )


@transaction.atomic
def build_world() -> None:
    """Create (or find) the test world; safe to call again."""
    gc = _place("GC", PlaceKind.SUBDISTRICT, "桂城街道", None, official_code="440605011000")
    jd = _place("GC-JD", PlaceKind.COMMUNITY, "尖东社区", gc, official_code="440605011001")
    tc = _place("GC-TC", PlaceKind.COMMUNITY, "同成社区", gc)
    jb = _place("GC-JB", PlaceKind.COMMUNITY, "江滨社区", gc)
    gy = _place("GC-GY", PlaceKind.COMMUNITY, "桂雅社区", gc)

    jylw_company = _team("WY-JYLW", TeamKind.PROPERTY_COMPANY, "金域蓝湾物业服务中心", jd)
    vanke_company = _team("WY-JYZY", TeamKind.PROPERTY_COMPANY, "万科物业金域中央服务中心", tc)
    jylw = _place("GC-JD-JYLW", PlaceKind.ESTATE, "金域蓝湾", jd, property_company=jylw_company)
    oldvillage = _place("GC-JD-JDXC", PlaceKind.ESTATE, "尖东新村", jd)  # no property company
    b1 = _place("GC-JD-JYLW-B01", PlaceKind.BUILDING, "1栋", jylw, storeys=18)
    b1u1 = _place("GC-JD-JYLW-B01-U1", PlaceKind.UNIT, "1栋1单元", b1)
    b2 = _place("GC-JD-JYLW-B02", PlaceKind.BUILDING, "2栋", jylw, storeys=18)
    b2u1 = _place("GC-JD-JYLW-B02-U1", PlaceKind.UNIT, "2栋1单元", b2)
    ov1 = _place("GC-JD-JDXC-B01", PlaceKind.BUILDING, "尖东新村1座", oldvillage, storeys=7)

    jyzy = _place(
        "GC-TC-JYZY", PlaceKind.ESTATE, "万科金域中央", tc, property_company=vanke_company
    )
    t1 = _place("GC-TC-JYZY-T1", PlaceKind.BUILDING, "T1栋", jyzy, storeys=56)
    t1_low = _place(
        "GC-TC-JYZY-T1-F01", PlaceKind.FLOOR_BAND, "T1栋1-28层", t1, floor_from=1, floor_to=28
    )
    _place("GC-TC-JYZY-T1-F29", PlaceKind.FLOOR_BAND, "T1栋29-56层", t1, floor_from=29, floor_to=56)

    lane = _place("GC-JB-L01", PlaceKind.LANE, "江滨东一巷", jb)
    lane_house = _place("GC-JB-L01-B01", PlaceKind.BUILDING, "东一巷3号", lane, storeys=3)
    street = _place("GC-GY-S01", PlaceKind.STREET, "桂雅路", gy)
    for i, kind in enumerate([ShopKind.GARMENT_FACTORY, ShopKind.GARMENT_FACTORY, ShopKind.FOOD]):
        Shop.objects.get_or_create(
            code=f"GC-GY-S01-SHOP{i + 1:02d}",
            defaults={"place": street, "name": f"桂雅路{i + 1}号商铺", "kind": kind},
        )

    # Teams
    _team("T-JYLW-LZ", TeamKind.LEADER_TEAM, "金域蓝湾楼长队", jylw)
    _team("T-JYLW-HMJ", TeamKind.SPECIAL_TEAM, "关爱红马甲", jylw)
    _team("T-JYLW-JFH", TeamKind.MUTUAL_AID, "金域蓝湾街坊志愿互助会", jylw)
    _team("T-JDXC-ZZ", TeamKind.SELF_GOVERNANCE, "尖东新村自治小组", oldvillage)
    workshop = _team("T-SZM", TeamKind.MEDIATION_WORKSHOP, "苏志敏创熟调解工作室", gc)

    # People: residents of 金域蓝湾 building 1 and 2, 金域中央, the old village and the lane
    wang = _person("P-WANG", "王秀英", "13812345678", "440602195803031231")
    wang_son = _person("P-WANG-SON", "李建国", "13900001111", "440602198501011239")
    chen = _person("P-CHEN", "陈美玲", "13711112222", "440602196001012340")
    zhao = _person("P-ZHAO", "赵志强", "13622223333", "44060219700202345X")
    huang = _person("P-HUANG", "黄丽", "13533334444")
    deng = _person("P-DENG", "邓伯", "13444445555")
    he = _person("P-HE", "何婆婆", "13355556666")
    _household("H-B01-101", b1u1, "101", "89.50", (wang, "head"), (wang_son, "child"))
    _household("H-B01-102", b1u1, "102", "120.25", (chen, "head"))
    _household("H-B02-201", b2u1, "201", "95.00", (zhao, "head"))
    _household("H-T1-0801", t1_low, "0801", "110.00", (huang, "head"))
    _household("H-JDXC-101", ov1, "101", "60.00", (deng, "head"))
    _household("H-JB-3", lane_house, "3号", "150.00", (he, "head"))

    # Post holders, one per role and tier
    lz1 = _person("P-LZ1", "刘楼长", "13100000001", party=True)
    lz2 = _person("P-LZ2", "张楼长", "13100000002")
    xz = _person("P-XZ", "江巷长", "13100000003", party=True)
    jz = _person("P-JZ", "桂街长", "13100000004")
    sq = _person("P-SQ", "尖东社工", "13100000005")
    sq2 = _person("P-SQ2", "同成社工", "13100000006")
    tj = _person("P-TJ", "苏调解", "13100000007")
    wy = _person("P-WY", "物业主管", "13100000008")
    jdp = _person("P-JD", "街道干部", "13100000009")
    adm = _person("P-ADMIN", "系统管理员", "13100000010")
    aud = _person("P-AUDIT", "审计员", "13100000011")
    sec = _person("P-SEC", "安全管理员", "13100000012")
    wg = _person("P-WG", "网格员小李", "13100000013")
    _post(lz1, Role.LOUZHANG, b1)
    _post(lz2, Role.LOUZHANG, b2)
    _post(xz, Role.XIANGZHANG, lane)
    _post(jz, Role.JIEZHANG, street)
    _post(sq, Role.SHEQU_STAFF, jd)
    _post(sq2, Role.SHEQU_STAFF, tc)
    _post(tj, Role.TIAOJIEYUAN, jd, workshop)
    _post(tj, Role.TIAOJIEYUAN, tc, workshop)
    _post(wy, Role.WUYE, team=jylw_company)
    _post(jdp, Role.JIEDAO_STAFF, gc)
    _post(adm, Role.SYSADMIN, gc)
    _post(aud, Role.AUDITOR)
    _post(sec, Role.SECADMIN)
    _post(wg, Role.WANGGEYUAN, jd)
    Membership.objects.get_or_create(team=workshop, person=tj, defaults={"role": "lead"})

    # Every world user has the one PASSWORD: hash it once per build with the preferred hasher
    # (Argon2, deliberately slow: ~0.2 s a hash, paid again by every xdist worker), not once per
    # user. Each user still stores a real Argon2 hash of PASSWORD, as set_password would.
    password = functools.cache(lambda: make_password(PASSWORD))
    _user("demo-resident", wang, password)
    _user("demo-louzhang", lz1, password)
    _user("demo-louzhang2", lz2, password)
    _user("demo-xiangzhang", xz, password)
    _user("demo-jiezhang", jz, password)
    _user("demo-shequ", sq, password)
    _user("demo-shequ2", sq2, password)
    _user("demo-wangge", wg, password)
    _user("demo-tiaojie", tj, password)
    _user("demo-wuye", wy, password)
    _user("demo-jiedao", jdp, password)
    _user("demo-admin", adm, password, is_staff=True)
    _user("demo-auditor", aud, password, is_staff=True)
    _user("demo-secadmin", sec, password, is_staff=True)
    _user("nobody", None, password)


@dataclass
class World:
    """Named handles on the shared test world, looked up by their stable codes."""

    def place(self, code: str) -> Place:
        return Place.objects.get(code=code)

    def household(self, code: str) -> Household:
        return Household.objects.get(code=code)

    def person(self, code: str) -> Person:
        return Person.objects.get(code=code)

    def user(self, username: str) -> Any:
        return get_user_model().objects.get(username=username)


# The demo roles every permission matrix walks through (issue 2: one per role).
ROLE_USERS = (
    "demo-resident",
    "demo-louzhang",
    "demo-louzhang2",
    "demo-xiangzhang",
    "demo-jiezhang",
    "demo-shequ",
    "demo-shequ2",
    "demo-wangge",
    "demo-tiaojie",
    "demo-wuye",
    "demo-jiedao",
    "demo-admin",
    "demo-auditor",
    "demo-secadmin",
)


def deliver() -> int:
    """Run the outbox worker once, as `manage.py runoutbox` does: after this, people have been
    told what the actions recorded (their notifications exist). Returns the rows processed."""
    return drain()
