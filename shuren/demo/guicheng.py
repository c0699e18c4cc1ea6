"""Guicheng as the article describes it, written out as a Plan (see shuren/demo/plan.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

from shuren.demo import data
from shuren.demo.plan import (
    Estate,
    Family,
    LoginSpec,
    PersonSpec,
    Plan,
    Planner,
    ShopSpec,
    date_between,
)
from shuren.people.models import MembershipRole, TeamKind
from shuren.people.roles import Role
from shuren.places.models import PlaceKind, ShopKind

JD, TC, JB, GY = "GC-JD", "GC-TC", "GC-JB", "GC-GY"
JDXC = ("GC-JD-JDXC", "尖东新村")  # an old estate of 尖东 without a property company
COMMUNITY_NAMES = dict(data.COMMUNITIES)


def build_plan(seed: int = data.SEED) -> Plan:
    planner = Planner(seed)
    _subdistrict_and_communities(planner)
    _estates(planner)
    _jinyu_lanwan(planner)
    _jinyu_zhongyang(planner)
    _other_estates(planner)
    _leader_teams_and_party(planner)
    _self_governance_groups(planner)
    _lanes(planner)
    _street(planner)
    _staff_and_mediation(planner)
    _logins(planner)
    return planner.plan


def _subdistrict_and_communities(p: Planner) -> None:
    code, name, official = data.SUBDISTRICT
    p.place(code, PlaceKind.SUBDISTRICT, name, None, official_code=official)
    for i, (community, community_name) in enumerate(data.COMMUNITIES, start=1):
        p.place(
            community,
            PlaceKind.COMMUNITY,
            community_name,
            code,
            official_code=f"{official[:9]}{i:03d}",
        )


def _estates(p: Planner) -> None:
    """All 149 estates: which lack a property company, their names, who manages the rest."""
    rng = p.rng
    generated: list[tuple[str, str]] = []  # (estate code, community code)
    for community, _ in data.COMMUNITIES:
        fixed = {JD: 2, TC: 1}.get(community, 0)
        for k in range(data.ESTATES_PER_COMMUNITY[community] - fixed):
            generated.append((f"{community}-E{k + 1:02d}", community))
    old_codes = {code for code, _ in rng.sample(generated, data.ESTATES_WITHOUT_COMPANY - 1)}

    new_names = [s + x for s in data.NEW_STEMS for x in data.NEW_SUFFIXES]
    old_names = [s + x for s in data.OLD_STEMS for x in data.OLD_SUFFIXES]
    rng.shuffle(new_names)
    rng.shuffle(old_names)

    company_codes = [code for code, _ in data.PROPERTY_COMPANIES]
    # 金域蓝湾's own service centre manages it alone, so demo-wuye sees one estate.
    for (code, name), home in (
        (data.JYLW_COMPANY, data.JYLW[0]),
        (data.JYZY_COMPANY, data.JYZY[0]),
        *((company, data.SUBDISTRICT[0]) for company in data.PROPERTY_COMPANIES),
    ):
        p.team(code, TeamKind.PROPERTY_COMPANY, name, home)

    def add(code: str, name: str, community: str, company: str | None) -> None:
        p.place(code, PlaceKind.ESTATE, name, community, company=company)
        p.estates.append(Estate(code, name, community, old=company is None))

    add(*data.JYLW, JD, data.JYLW_COMPANY[0])
    add(*JDXC, JD, None)
    add(*data.JYZY, TC, data.JYZY_COMPANY[0])
    for code, community in generated:
        if code in old_codes:
            add(code, old_names.pop(), community, None)
        else:
            add(code, new_names.pop(), community, rng.choice(company_codes))
    assert len(p.estates) == data.ESTATES


def _estate(p: Planner, code: str) -> Estate:
    return next(e for e in p.estates if e.code == code)


def _leader(p: Planner, estate: Estate, person: str, place: str, since: dt.date) -> None:
    estate.leaders.append(person)
    p.since[person] = since
    p.post(person, Role.LOUZHANG, place, since=since)


def _jinyu_lanwan(p: Planner) -> None:
    """金域蓝湾: 52 buildings of two stairwells, every flat a household, 85 leaders."""
    rng = p.rng
    estate = _estate(p, data.JYLW[0])
    # Two stairwells of two flats a floor above a ground-floor lobby: 4 flats per floor, so
    # the residential floors must add up to 4,700 / 4.
    floors = p.split_exactly(data.JYLW_HOUSEHOLDS // 4, [(17, 31)] * data.JYLW_BUILDINGS)
    families: list[list[Family]] = []
    for b, residential in enumerate(floors, start=1):
        building = p.place(
            f"{estate.code}-B{b:02d}",
            PlaceKind.BUILDING,
            f"{b}栋",
            estate.code,
            storeys=residential + 1,
        )
        in_building = []
        for u in (1, 2):
            unit = p.place(f"{building}-U{u}", PlaceKind.UNIT, f"{b}栋{u}单元", building)
            for floor in range(2, residential + 2):
                for flat, (low, high) in ((1, (95, 143)), (2, (72, 110))):
                    room = f"{floor}{flat:02d}"
                    area = p.area(low, high)
                    in_building.append(p.family(f"{unit}-{room}", unit, room, floor, area, 0.15))
        families.append(in_building)

    twice = set(rng.sample(range(data.JYLW_BUILDINGS), data.JYLW_LEADERS - data.JYLW_BUILDINGS))
    for b, in_building in enumerate(families):
        owners = [f for f in in_building if not f.rented]
        chosen = rng.sample(owners, 2 if b in twice else 1)
        building = f"{estate.code}-B{b + 1:02d}"
        for family in chosen:
            since = date_between(rng, data.JYLW_LEADERS_SINCE, dt.date(2019, 6, 30))
            _leader(p, estate, family.head, building, since)
        if b == 0:
            p.marked["louzhang"] = chosen[0].head
            # demo-resident: an owner in stairwell 1 who holds no post, in 1201 if possible.
            heads = {f.head for f in chosen}
            free = [f for f in owners if f.head not in heads and "-U1-" in f.household]
            home = next((f for f in free if f.household.endswith("-1201")), free[0])
            p.marked["resident"] = home.head
        elif b == 1:
            p.marked["louzhang2"] = chosen[0].head

    adults = [f.head for building in families for f in building]
    founded = (dt.date(2015, 3, 1), dt.date(2019, 6, 30))
    for key, name in data.JYLW_SPECIAL_TEAMS:
        on = date_between(rng, *founded)
        team = p.team(f"{estate.code}-T-{key}", TeamKind.SPECIAL_TEAM, name, estate.code, on)
        _staff_team(p, team, on, estate.leaders, adults, size=rng.randint(6, 14))
    on = dt.date(2019, 10, 12)
    association = p.team(
        f"{estate.code}-JFH", TeamKind.MUTUAL_AID, "金域蓝湾街坊志愿互助会", estate.code, on
    )
    _staff_team(p, association, on, estate.leaders, adults, size=24)


def _staff_team(
    p: Planner, team: str, founded: dt.date, leaders: list[str], others: list[str], size: int
) -> None:
    """A lead and a deputy drawn from the leaders, the rest from the estate's residents."""
    lead, deputy = p.rng.sample(leaders, 2)
    p.member(team, lead, founded, MembershipRole.LEAD)
    p.member(team, deputy, founded, MembershipRole.DEPUTY)
    taken = {lead, deputy}
    for person in p.rng.sample(others, size + 2):
        if person not in taken and len(taken) < size:
            taken.add(person)
            p.member(team, person, founded)


def _jinyu_zhongyang(p: Planner) -> None:
    """万科金域中央: towers of 51-56 storeys, each split into two floor bands with a leader."""
    rng = p.rng
    estate = _estate(p, data.JYZY[0])
    flats = []
    for t, storeys in enumerate(data.JYZY_TOWER_STOREYS, start=1):
        tower = p.place(
            f"{estate.code}-T{t}", PlaceKind.BUILDING, f"T{t}栋", estate.code, storeys=storeys
        )
        half = storeys // 2
        for low, high in ((1, half), (half + 1, storeys)):
            band = p.place(
                f"{tower}-F{low:02d}",
                PlaceKind.FLOOR_BAND,
                f"T{t}栋{low}-{high}层",
                tower,
                floor_from=low,
                floor_to=high,
            )
            for floor in range(max(low, data.JYZY_PODIUM_FLOORS + 1), high + 1):
                for flat in range(1, data.JYZY_FLATS_PER_FLOOR + 1):
                    flats.append((band, floor, flat))
    # "入住户数3146户": households are the occupied flats, not every flat.
    occupied = sorted(rng.sample(range(len(flats)), data.JYZY_HOUSEHOLDS))
    by_band: dict[str, list[Family]] = {}
    for index in occupied:
        band, floor, flat = flats[index]
        room = f"{floor}{flat:02d}"
        family = p.family(f"{band}-{room}", band, room, floor, p.area(60, 130), 0.25)
        by_band.setdefault(band, []).append(family)
    for band, families in by_band.items():
        chosen = rng.choice([f for f in families if not f.rented])
        since = date_between(rng, data.JYZY_LEADERS_SINCE, dt.date(2019, 9, 30))
        _leader(p, estate, chosen.head, band, since)
    adults = [f.head for families in by_band.values() for f in families]
    on = dt.date(2019, 10, 19)
    association = p.team(
        f"{estate.code}-JFH", TeamKind.MUTUAL_AID, "万科金域中央街坊志愿互助会", estate.code, on
    )
    _staff_team(p, association, on, estate.leaders, adults, size=20)


def _other_estates(p: Planner) -> None:
    """The other 147 estates: buildings enough for their leaders, each leader living in one."""
    rng = p.rng
    others = [e for e in p.estates if e.code not in (data.JYLW[0], data.JYZY[0])]
    flagship_leaders = sum(len(e.leaders) for e in p.estates)
    counts = p.split_exactly(
        data.LEADERS - flagship_leaders, [(3, 7) if e.old else (6, 16) for e in others]
    )
    for estate, leaders in zip(others, counts, strict=True):
        buildings = rng.randint(math.ceil(leaders / 2), leaders)
        twice = set(rng.sample(range(buildings), leaders - buildings))
        for b in range(buildings):
            storeys = rng.randint(6, 8) if estate.old else rng.choice((11, 18, 24, 26, 28, 30, 32))
            building = p.place(
                f"{estate.code}-B{b + 1:02d}",
                PlaceKind.BUILDING,
                f"{b + 1}座" if estate.old else f"{b + 1}栋",
                estate.code,
                storeys=storeys,
            )
            rooms: set[str] = set()
            while len(rooms) < (2 if b in twice else 1):
                floor = rng.randint(1 if estate.old else 2, storeys)
                rooms.add(f"{floor}{rng.randint(1, 2 if estate.old else 4):02d}")
            for room in sorted(rooms):
                area = p.area(45, 90) if estate.old else p.area(80, 180)
                family = p.family(f"{building}-{room}", building, room, int(room[:-2]), area, 0.0)
                since = date_between(rng, dt.date(2014, 1, 1), dt.date(2019, 6, 30))
                _leader(p, estate, family.head, building, since)


def _leader_teams_and_party(p: Planner) -> None:
    """64 leader teams (41 of an estate, 23 of a community) and exactly 384 party members."""
    rng = p.rng
    leaders = [person for e in p.estates for person in e.leaders]
    assert len(leaders) == data.LEADERS
    party = set(rng.sample(leaders, data.PARTY_LEADERS))
    for person in leaders:
        spec = p.plan.persons[person]
        p.plan.persons[person] = dataclasses.replace(spec, party_member=person in party)

    # The largest estates get a team of their own; every community keeps at least one estate
    # whose leaders meet in the community's team.
    with_own_team = {data.JYLW[0], data.JYZY[0]}
    left = {community: 0 for community, _ in data.COMMUNITIES}
    for estate in p.estates:
        if estate.code not in with_own_team:
            left[estate.community] += 1
    estate_teams = data.LEADER_TEAMS - len(data.COMMUNITIES)
    for estate in sorted(p.estates, key=lambda e: (-len(e.leaders), e.code)):
        if len(with_own_team) == estate_teams:
            break
        if estate.code not in with_own_team and left[estate.community] > 1:
            with_own_team.add(estate.code)
            left[estate.community] -= 1

    def leader_team(code: str, name: str, place: str, members: list[str]) -> None:
        since = min(p.since[m] for m in members)
        p.team(code, TeamKind.LEADER_TEAM, name, place, since)
        ordered = sorted(members, key=lambda m: (m not in party, p.since[m], m))
        for i, member in enumerate(ordered):
            role = (
                MembershipRole.LEAD
                if i == 0
                else MembershipRole.DEPUTY
                if i == 1
                else MembershipRole.MEMBER
            )
            p.member(code, member, p.since[member], role)

    for estate in p.estates:
        if estate.code in with_own_team:
            leader_team(f"{estate.code}-LZD", f"{estate.name}楼长队", estate.code, estate.leaders)
    for community, name in data.COMMUNITIES:
        members = [
            m
            for e in p.estates
            if e.community == community and e.code not in with_own_team
            for m in e.leaders
        ]
        leader_team(f"{community}-LZD", f"{name}楼长队", community, members)
    assert sum(t.kind == TeamKind.LEADER_TEAM for t in p.plan.teams) == data.LEADER_TEAMS


def _self_governance_groups(p: Planner) -> None:
    """A 自治小组 in each estate without a property company, led by one of its building leaders."""
    for estate in p.estates:
        if not estate.old:
            continue
        founded = date_between(p.rng, dt.date(2014, 3, 1), dt.date(2019, 6, 30))
        team = p.team(
            f"{estate.code}-ZZ",
            TeamKind.SELF_GOVERNANCE,
            f"{estate.name}自治小组",
            estate.code,
            founded,
        )
        lead, *others = estate.leaders
        p.post(lead, Role.ZIZHI_ZUZHANG, estate.code, team, since=founded, title="自治小组长")
        p.member(team, lead, founded, MembershipRole.LEAD)
        for person in others:
            p.member(team, person, founded)


def _lanes(p: Planner) -> None:
    """江滨: ten village lanes, a 巷长 in each (five of them party members), one team."""
    rng = p.rng
    party = set(rng.sample(range(len(data.JB_LANES)), data.JB_PARTY_LANE_LEADERS))
    since = data.JB_LANES_SINCE
    team = p.team("GC-JB-XZD", TeamKind.PATROL_TEAM, "江滨社区巷长队", JB, since)
    for i, name in enumerate(data.JB_LANES):
        lane = p.place(f"{JB}-L{i + 1:02d}", PlaceKind.LANE, name, JB)
        leader = ""
        for n in (1, 2, 3):
            house = p.place(
                f"{lane}-B{n:02d}",
                PlaceKind.BUILDING,
                f"{name}{n}号",
                lane,
                storeys=rng.randint(2, 4),
            )
            family = p.family(
                f"{house}-H", house, f"{n}号", None, p.area(60, 150), 0.0 if n == 1 else 0.3
            )
            leader = leader or family.head
        spec = p.plan.persons[leader]
        p.plan.persons[leader] = dataclasses.replace(spec, party_member=i in party)
        p.post(leader, Role.XIANGZHANG, lane, since=since)
        p.member(
            team, leader, since, MembershipRole.LEAD if i == min(party) else MembershipRole.MEMBER
        )
        if i == 0:
            p.marked["xiangzhang"] = leader


def _street(p: Planner) -> None:
    """桂雅: one street of 60 shops, 50 of them garment factories, and 8 street leaders."""
    rng = p.rng
    code, name = data.GY_STREET
    street = p.place(code, PlaceKind.STREET, name, GY)
    stems = data.SHOP_NAME_STEMS
    garment = [f"{prefix}{stem}制衣厂" for prefix in ("南海", "桂雅") for stem in stems]
    shops = [(ShopKind.GARMENT_FACTORY.value, n) for n in garment[: data.GY_GARMENT_FACTORIES]]
    shops += [(kind, f"{rng.choice(stems)}{label}") for kind, label in data.OTHER_SHOPS]
    assert len(shops) == data.GY_SHOPS
    rng.shuffle(shops)
    contacts = []
    for n, (kind, shop_name) in enumerate(shops, start=1):
        shop_code = f"{street}-SHOP{n:02d}"
        contact = p.person(f"{shop_code}-C", p.ids.person(born_from=1962, born_to=1990))
        contacts.append(contact)
        p.plan.shops.append(ShopSpec(shop_code, street, shop_name, kind, f"{name}{n}号", contact))
    since = data.GY_STREET_SINCE
    team = p.team(f"{street}-JZD", TeamKind.PATROL_TEAM, f"{name}街长巡查队", street, since)
    chosen = rng.sample(contacts, data.GY_STREET_LEADERS)
    party = set(rng.sample(chosen, 3))
    for i, person in enumerate(chosen):
        spec = p.plan.persons[person]
        p.plan.persons[person] = dataclasses.replace(spec, party_member=person in party)
        p.post(person, Role.JIEZHANG, street, since=since)
        p.member(team, person, since, MembershipRole.LEAD if i == 0 else MembershipRole.MEMBER)
    p.marked["jiezhang"] = chosen[0]


def _staff_and_mediation(p: Planner) -> None:
    rng = p.rng
    gc = data.SUBDISTRICT[0]

    def since() -> dt.date:
        return date_between(rng, dt.date(2016, 1, 1), dt.date(2021, 12, 31))

    for community, _ in data.COMMUNITIES:
        secretary = p.staff(f"{community}-SJ", 1965, 1985, party=True)
        p.post(secretary, Role.SHEQU_SHUJI, community, since=since(), title="社区书记")
        worker = p.staff(f"{community}-ST")
        p.post(worker, Role.SHEQU_STAFF, community, since=since())
        grid = p.staff(f"{community}-WG")
        p.post(grid, Role.WANGGEYUAN, community, since=since())
        if community == JD:
            p.marked.update(shequ=worker, wangge=grid)
        elif community == TC:
            p.marked["shequ2"] = worker

    for n in (1, 2, 3):
        person = p.staff(f"{gc}-JDST{n}", party=n == 1)
        p.post(person, Role.JIEDAO_STAFF, gc, since=since())
        if n == 1:
            p.marked["jiedao"] = person
    p.marked["admin"] = p.staff(f"{gc}-ADMIN", 1980, 1995)
    p.post(p.marked["admin"], Role.SYSADMIN, gc, since=since(), title="系统管理员")
    p.marked["secadmin"] = p.staff(f"{gc}-SECADMIN", 1980, 1995)
    p.post(p.marked["secadmin"], Role.SECADMIN, since=since(), title="安全管理员")
    p.marked["auditor"] = p.staff(f"{gc}-AUDITOR", 1975, 1995)
    p.post(p.marked["auditor"], Role.AUDITOR, since=since(), title="审计员")

    # One manager per property company; 金域蓝湾's is the demo login.
    for team in [t for t in p.plan.teams if t.kind == TeamKind.PROPERTY_COMPANY]:
        manager = p.staff(f"{team.code}-M1", 1970, 1992)
        p.post(manager, Role.WUYE, team=team.code, since=since(), title="项目经理")
        if team.code == data.JYLW_COMPANY[0]:
            p.marked["wuye"] = manager

    code, name = data.WORKSHOP
    opened = dt.date(2019, 1, 1)
    workshop = p.team(code, TeamKind.MEDIATION_WORKSHOP, name, gc, opened)
    # The workshop's namesake is a real person: the demo keeps his name and nothing else.
    director = "GC-SZM"
    p.plan.persons[director] = PersonSpec(director, "苏志敏", party_member=True)
    p.post(director, Role.TIAOJIEYUAN, gc, workshop, since=opened, title="主任")
    p.member(workshop, director, opened, MembershipRole.LEAD)
    for n, communities in ((1, (JD, TC)), (2, (JB, GY))):
        mediator = p.staff(f"{gc}-TJ{n}", 1960, 1985)
        for community in communities:
            p.post(mediator, Role.TIAOJIEYUAN, community, workshop, since=dt.date(2019, 6, 1))
        p.member(workshop, mediator, dt.date(2019, 6, 1))
        if n == 1:
            p.marked["tiaojie"] = mediator

    code, name = data.MEDIATION_COMMITTEE
    committee = p.team(code, TeamKind.MEDIATION_COMMITTEE, name, gc, dt.date(2018, 6, 1))
    titles = ("主任", "副主任", "委员", "委员", "委员")
    roles = (MembershipRole.LEAD, MembershipRole.DEPUTY) + (MembershipRole.MEMBER,) * 3
    for n, (title, role) in enumerate(zip(titles, roles, strict=True), start=1):
        member = p.staff(f"{gc}-WYTJ{n}", 1958, 1985, party=n <= 2)
        p.post(member, Role.TIAOJIEYUAN, gc, committee, since=dt.date(2018, 6, 1), title=title)
        p.member(committee, member, dt.date(2018, 6, 1), role)


def _logins(p: Planner) -> None:
    jylw = data.JYLW[1]
    room = p.marked["resident"].split("-")[-2]  # person codes are <household code>-<n>
    rows = (
        ("demo-resident", "resident", "居民 (resident)", f"{jylw} 1栋1单元 {room}", False),
        ("demo-louzhang", "louzhang", "楼长 (building leader)", f"{jylw} 1栋", False),
        ("demo-louzhang2", "louzhang2", "楼长 (building leader)", f"{jylw} 2栋", False),
        (
            "demo-xiangzhang",
            "xiangzhang",
            "巷长 (lane leader)",
            f"江滨社区 {data.JB_LANES[0]}",
            False,
        ),
        (
            "demo-jiezhang",
            "jiezhang",
            "街长 (street leader)",
            f"桂雅社区 {data.GY_STREET[1]}",
            False,
        ),
        ("demo-shequ", "shequ", "社区工作人员 (community staff)", "尖东社区", False),
        ("demo-shequ2", "shequ2", "社区工作人员 (community staff)", "同成社区", False),
        ("demo-wangge", "wangge", "网格员 (grid worker)", "尖东社区", False),
        (
            "demo-tiaojie",
            "tiaojie",
            "调解员 (mediator)",
            f"{data.WORKSHOP[1]}：尖东社区、同成社区",
            False,
        ),
        ("demo-wuye", "wuye", "物业 (property company)", f"{data.JYLW_COMPANY[1]}：{jylw}", False),
        ("demo-jiedao", "jiedao", "街道工作人员 (subdistrict staff)", data.SUBDISTRICT[1], False),
        ("demo-admin", "admin", "系统管理员 (system administrator)", data.SUBDISTRICT[1], True),
        (
            "demo-secadmin",
            "secadmin",
            "安全管理员 (security administrator)",
            "账号与安全 (accounts and security)",
            True,
        ),
        ("demo-auditor", "auditor", "审计员 (auditor)", "审计日志 (audit log)", True),
    )
    for username, mark, role, where, is_staff in rows:
        p.plan.logins.append(LoginSpec(username, p.marked[mark], role, where, is_staff))
