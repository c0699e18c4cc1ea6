"""The matters the article tells of (the fish smell, the clutter in 万科金域中央, the property
dispute the 街坊会 untangled, the bus lines), and a past for demo-resident's tracking page."""

from __future__ import annotations

import datetime as dt

from shuren.cases.choices import EventKind
from shuren.cases.intake.history import HistoricalCase
from shuren.cases.models import Channel, PartySide
from shuren.demo import case_texts as texts
from shuren.demo import data
from shuren.demo.case_facts import DEMO_SOURCE, Home, Plan, aware
from shuren.demo.case_history import History
from shuren.workdays.calendar import SHANGHAI


def _weekday_after(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _neighbours(h: History, unit: str, day: dt.date) -> tuple[Home, Home | None]:
    """Someone living in the unit since before day, and who lives right above them."""
    homes = [x for x in h.homes(unit) if x.moved_in <= day and x.room.isdigit()]
    rooms = {x.room: x for x in homes}
    for home in homes:
        above = rooms.get(f"{int(home.room[:-2]) + 1}{home.room[-2:]}")
        if above is not None and above.person_id != home.person_id:
            return home, above
    return homes[0], None


def _story(
    h: History,
    place: str,
    category: str,
    title: str,
    description: str,
    reported: dt.datetime,
    plan: list[Plan],
    *,
    tier: int,
    channel: str,
    reporter: Home | None = None,
    respondent: Home | None = None,
) -> HistoricalCase:
    row = h.f.places[place]
    workshop = any(e.get("team_id") == h.f.teams.get(data.WORKSHOP[0]) for *_x, e in plan)
    parties = [(reporter.person_id, PartySide.APPLICANT)] if reporter and respondent else []
    if respondent:
        parties.append((respondent.person_id, PartySide.RESPONDENT))
    return HistoricalCase(
        place=row.stub(),
        category=h.f.categories[category],
        title=title,
        description=description,
        reported_at=reported,
        steps=h.steps(row, reported, plan, workshop=workshop),
        channel=channel,
        tier=tier,
        reporter_id=reporter.person_id if reporter else None,
        recorded_by_id=h.actor(row.path, tier, reported.astimezone(SHANGHAI).date()),
        parties=parties,
        source=DEMO_SOURCE,
    )


FISH = (
    "楼上住户鱼腥味太重，邻里多次争吵",
    "{room}住户在楼长接待日反映：楼上住户家中常年处理鱼获、晾晒咸鱼，鱼腥臭气从窗户和"
    "楼道飘进家里，两家为此争吵不断，楼道里其他住户也有意见。",
    "楼长上门了解：楼上是渔民家庭，鱼获多在家中处理，两家已有一个多月不说话。",
    "楼长大妈上门“动动嘴皮子”：劝楼上住户把鱼获放到阳台密封处理、咸鱼改到天台"
    "通风处晾晒、厨房加装排气扇，又请楼下体谅渔民家庭的生计。两家当面和解，"
    "此后未再争吵。",
    "回访：楼下住户说气味明显少了，两家见面也打招呼了。",
)
CLUTTER = (
    "门口堆放手推车、鞋柜，劝说无效",
    "社区工作人员走访入户时发现，多户业主在门口堆放手推车、鞋柜等杂物，占用公共走廊；"
    "工作人员请业主清理，业主无动于衷。",
    "在苏志敏创熟调解工作室指导下，新选出的楼长和街坊骨干逐户上门沟通，业主自行"
    "清理门口杂物，楼层里贴上了大家商定的楼道公约。",
)
PROPERTY = (
    "业主与物业互不信任，公共维修迟迟不动工",
    "业主对物业不信任、不支持，物业提出的外墙和地下车库维修方案迟迟无法推进，双方在业主群里"
    "互相指责，公共服务寸步难行。",
    "街坊志愿互助会骨干分头入户，听取业主对物业的意见。",
    "街坊志愿互助会牵线搭桥，召开业主代表、物业、楼长联席会议：物业公开维修方案"
    "和费用，业主代表全程监督，维修顺利开工，“冰封多时”的僵持终于化解。",
    "回访：业主代表对维修进度满意。",
)
BUS = (
    "小区公交线路少，出行不便",
    "楼长在接待日收集到居民意见：小区附近公交线路少、班次间隔长，老人去医院和买菜都不方便。",
    "涉及公交线路调整，需街道协调区交通部门。",
    "街道与社区、楼长队伍协调区交通部门和公交公司，新增一条途经小区的公交线路，"
    "并加密两条线路的班次。",
    "回访：楼长转达居民意见，出行方便多了。",
)
DOG_AGAIN = "楼长再次上门，与养狗住户约定出门给狗系尿垫、带清洁袋，物业在电梯张贴文明养犬提示。"
# demo-resident's own past: (day, category, title, tier, method, reopened)
RESIDENT_PAST = (
    (dt.date(2022, 3, 7), "facilities", "楼道声控灯坏了没人修", 2, "property_repair", False),
    (
        dt.date(2024, 9, 21),
        "neighbour-renovation",
        "楼上装修周末一早电钻施工",
        1,
        "on_the_spot",
        False,
    ),
    (dt.date(2025, 7, 15), "neighbour-pets", "邻居家狗在电梯里便溺不清理", 1, "on_the_spot", True),
)


def step(hours: float, kind: str, tier: int, **fields: object) -> Plan:
    return (hours, kind, tier, fields)


def stories(h: History) -> list[HistoricalCase]:
    """The article's own matters, and a past for demo-resident's tracking page."""
    f, rows = h.f, []
    jylw = data.JYLW[0]
    unit = f"{jylw}-B01-U1"
    # The fish smell: building 1's leader settles it some weeks into the post.
    since = f.since.get("demo-louzhang", data.JYLW_LEADERS_SINCE)
    start = max(since, dt.date(2014, 3, 1)) + dt.timedelta(days=40)
    day = _weekday_after(min(start, dt.date(2019, 11, 1)))
    reporter, above = _neighbours(h, unit, day)
    title, description, visit, settled, follow_up = FISH
    plan = [
        step(0.5, EventKind.ACCEPTED, 1),
        step(3, EventKind.NOTED, 1, note=visit),
        step(26, EventKind.RESOLVED, 1, method="on_the_spot", note=settled),
        step(50, EventKind.FOLLOWED_UP, 3, note=follow_up),
        step(52, EventKind.CLOSED, 3),
    ]
    rows.append(
        _story(
            h,
            unit,
            "neighbour-odour",
            title,
            description.format(room=reporter.room),
            aware(day, 10.25),
            plan,
            tier=1,
            channel=Channel.RECEPTION_DAY,
            reporter=reporter,
            respondent=above,
        )
    )

    # 万科金域中央 before its leaders: staff meet indifference, the workshop helps.
    band = sorted(c for c in f.places if c.startswith(f"{data.JYZY[0]}-T1-F"))[0]
    title, description, settled = CLUTTER
    workshop = f.teams.get(data.WORKSHOP[0])
    plan = [
        step(1, EventKind.ACCEPTED, 3),
        step(48, EventKind.ASSIGNED, 3, team_id=workshop),
        step(24 * 12, EventKind.RESOLVED, 3, method="mediation", note=settled),
        step(24 * 13, EventKind.CLOSED, 3),
    ]
    day = dt.date(2019, 6, 20)
    rows.append(
        _story(
            h,
            band,
            "neighbour-clutter",
            title,
            description,
            aware(day, 15.5),
            plan,
            tier=3,
            channel=Channel.VISIT,
        )
    )

    # Owners who distrusted their property company, brought together by the 街坊会.
    title, description, visits, settled, follow_up = PROPERTY
    day = dt.date(2020, 5, 11)
    owners = [x for x in h.homes(jylw) if x.moved_in <= day]
    plan = [
        step(2, EventKind.ACCEPTED, 2),
        step(48, EventKind.NOTED, 2, note=visits),
        step(24 * 16, EventKind.RESOLVED, 2, method="joint_meeting", note=settled),
        step(24 * 17, EventKind.FOLLOWED_UP, 3, note=follow_up),
        step(24 * 17 + 3, EventKind.CLOSED, 3),
    ]
    rows.append(
        _story(
            h,
            jylw,
            "property",
            title,
            description,
            aware(day, 9.75),
            plan,
            tier=2,
            channel=Channel.JOINT_MEETING,
            reporter=h.rng.choice(owners) if owners else None,
        )
    )

    # A reception day's request that only the subdistrict could answer.
    title, description, reason, settled, follow_up = BUS
    plan = [
        step(2, EventKind.ACCEPTED, 3),
        step(30, EventKind.ESCALATED, 3, note=reason, to_tier=4),
        step(24 * 20, EventKind.RESOLVED, 4, method="joint_meeting", note=settled),
        step(24 * 22, EventKind.FOLLOWED_UP, 3, note=follow_up),
        step(24 * 22 + 2, EventKind.CLOSED, 3),
    ]
    day = dt.date(2020, 9, 14)
    rows.append(
        _story(
            h,
            jylw,
            "other",
            title,
            description,
            aware(day, 16),
            plan,
            tier=3,
            channel=Channel.RECEPTION_DAY,
        )
    )

    resident = f.person_id("demo-resident")
    home = next((x for x in f.homes.get(unit, []) if x.person_id == resident), None)
    if home is None:
        return rows
    floor, flat = int(home.room[:-2]), home.room[-2:]
    rooms = {"room": home.room, "up": f"{floor + 1}{flat}", "down": f"{max(floor - 1, 1)}{flat}"}
    for day, category, title, tier, method, reopened in RESIDENT_PAST:
        description = next(d for t, d in texts.REPORTS[category] if t == title)
        plan = [
            step(1.5, EventKind.ACCEPTED, tier),
            step(
                30,
                EventKind.RESOLVED,
                tier,
                method=method,
                note=h.summary(method, tier, "", category.split("-")[0]),
            ),
        ]
        if reopened:
            plan += [
                step(55, EventKind.REOPENED, 3, note=texts.REOPEN_NOTES[0]),
                step(100, EventKind.RESOLVED, tier, method=method, note=DOG_AGAIN),
                step(104, EventKind.CLOSED, 3),
            ]
        else:
            plan += [
                step(50, EventKind.FOLLOWED_UP, 3, note=texts.FOLLOW_UP_NOTES[1]),
                step(53, EventKind.CLOSED, 3),
            ]
        rows.append(
            _story(
                h,
                unit,
                category,
                title,
                description.format(**rooms),
                aware(day, 19.5 if day.weekday() < 5 else 10),
                plan,
                tier=tier,
                channel=Channel.ONLINE if day.year >= 2024 else Channel.WECHAT_GROUP,
                reporter=home,
            )
        )
    return rows
