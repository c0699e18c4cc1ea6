"""The demo's open matters of the last weeks, entered through the case actions when it loads.

Every inbox has something: building 1 of 金域蓝湾 (demo-louzhang, where demo-resident lives)
has a few new and half-done matters, the property company (demo-wuye) has work assigned, the
community staff of 尖东 and 同成 have escalated cases to dispatch, the mediation workshop
(demo-tiaojie) has disputes, the subdistrict (demo-jiedao) has cases at tier 4 and beyond and
overdue ones; every other community has a few open matters too. Times are in this month's
working hours where they can be (a few cases are older, to be overdue); after loading, the
overdue sweep marks them yellow or red (and escalates what waited too long), as it does every
few minutes in `make demo`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from shuren.cases.choices import EstateTier
from shuren.cases.estate import estate_tier_of
from shuren.cases.models import Channel, RiskLevel
from shuren.demo import data
from shuren.demo.case_facts import Facts, Home, PlaceRow, aware
from shuren.demo.case_history import History
from shuren.places.models import PlaceKind
from shuren.workdays.calendar import SHANGHAI, WorkCalendar, is_working_day

# The open matters of the other communities: how many of each kind (per cent).
OPEN_MIX = {
    "neighbour": 25,
    "property": 8,
    "sanitation": 14,
    "security": 3,
    "facilities": 28,
    "safety": 10,
    "parking": 9,
    "elevator": 3,
}
SLOT_HOURS = (9.5, 10.5, 11.5, 14, 15, 16, 17)


@dataclass(frozen=True)
class LiveStep:
    """One action on an open case: accept, note, assign, escalate, merge or reject."""

    action: str
    by: str | None  # the demo login that acts; None for the system or a leader without one
    at: dt.datetime
    text: str = ""
    to_tier: int | None = None
    team_id: int | None = None
    referred_to: str = ""
    into: str = ""  # merge: the key of the case it repeats


@dataclass(frozen=True)
class LiveCase:
    key: str
    place: str  # place code
    category: str  # category code
    title: str
    description: str
    channel: str
    at: dt.datetime
    by: str | None = None  # the demo login that enters it
    reporter_id: int | None = None
    contact_name: str = ""
    contact_phone: str = ""
    risk: str = RiskLevel.LOW
    tier: int | None = None
    steps: tuple[LiveStep, ...] = ()


class Live:
    def __init__(
        self, facts: Facts, now: dt.datetime, calendar: WorkCalendar, rng: random.Random
    ) -> None:
        self.f, self.now, self.calendar, self.rng = facts, now, calendar, rng
        self.h = History(facts, now, rng)
        self.today = now.astimezone(SHANGHAI).date()
        first = self.today.replace(day=1)
        latest = now - dt.timedelta(minutes=10)
        self.slots = [
            aware(first + dt.timedelta(days=d), hour)
            for d in range((self.today - first).days + 1)
            if is_working_day(calendar, first + dt.timedelta(days=d))
            for hour in SLOT_HOURS
        ]
        self.slots = [s for s in self.slots if s <= latest]
        if not self.slots:  # the first hours of a month that begins on a day off
            start = aware(first, 0)
            self.slots = [start + (latest - start) * k / 8 for k in range(1, 8)]

    def recent(self, i: int) -> dt.datetime:
        """The i-th most recent working-hours moment of this month (0 is the latest)."""
        return self.slots[max(len(self.slots) - 1 - i, 0)]

    def days_ago(self, n: int, hour: float) -> dt.datetime:
        """n working days before today, at the hour (possibly last month: to be overdue)."""
        day = self.today
        while n:
            day -= dt.timedelta(days=1)
            n -= is_working_day(self.calendar, day)
        return aware(day, hour)

    def entry(self, place: PlaceRow, category: str = "") -> int:
        """The lowest tier with a post holder for the place (most have no login, so
        report_case, which looks for users to tell, is given the tier); never the estate tier
        for what it does not handle (public security, complaints about the company)."""
        if place.kind != PlaceKind.COMMUNITY:
            if (self.h.tier1_since(place.code) or self.today) < self.today:
                return 1
            if (self.h.tier2_since(place.code) or self.today) < self.today and self._estate(
                category
            ):
                return 2
        return 3

    def _estate(self, category: str) -> bool:
        """The estate tier takes matters of the category, with its company (the demo's
        estate tier answers through the company: its committees have no logins)."""
        return not category or estate_tier_of(self.f.categories[category]) == EstateTier.ALL

    def home(self, place: str, skip: int | None = None, nth: int = 0) -> Home | None:
        homes = [x for x in self.h.homes(place) if x.person_id != skip]
        return homes[nth % len(homes)] if homes else None

    def case(
        self,
        key: str,
        place: str,
        category: str,
        title: str,
        channel: str,
        at: dt.datetime,
        *steps: tuple[float, str, str | None, dict[str, object]],
        by: str | None = None,
        home: Home | None = None,
        contact: bool = False,
        description: str = "",
        **extra: object,
    ) -> LiveCase:
        """A case and its steps, each `hours` after the report and never after now."""
        title, words = self.h.words(category, home, title) if not description else (title, "")
        name, phone = self.h.contact() if contact else ("", "")
        if by != "demo-resident":  # a resident's report finds its tier by itself
            extra.setdefault("tier", self.entry(self.f.places[place], category))
        timed, last = [], at
        for hours, action, actor, fields in steps:
            last = max(
                last, min(at + dt.timedelta(hours=hours), self.now - dt.timedelta(minutes=2))
            )
            timed.append(LiveStep(action, actor, last, **fields))  # type: ignore[arg-type]
        return LiveCase(
            key=key,
            place=place,
            category=category,
            title=title,
            description=description or words,
            channel=channel,
            at=at,
            by=by,
            reporter_id=home.person_id if home else None,
            contact_name=name,
            contact_phone=phone,
            steps=tuple(timed),
            **extra,  # type: ignore[arg-type]
        )

    # --- The demo logins' matters ---------------------------------------------------------

    def named(self) -> list[LiveCase]:
        f = self.f
        jylw, zy = data.JYLW[0], data.JYZY[0]
        b01u1, b01u2 = f"{jylw}-B01-U1", f"{jylw}-B01-U2"
        company, workshop = f.teams.get(data.JYLW_COMPANY[0]), f.teams.get(data.WORKSHOP[0])
        resident = f.person_id("demo-resident")
        mine = next((x for x in f.homes.get(b01u1, []) if x.person_id == resident), None)
        oldvillage = sorted(self.f.children.get("GC-JD-JDXC", []))[0]
        band = sorted(c for c in f.places if c.startswith(f"{zy}-T1-F"))[-1]
        b05 = sorted(self.f.children.get(f"{jylw}-B05", []))[0]
        b03 = sorted(self.f.children.get(f"{jylw}-B03", []))[0]
        lz, lz2, wuye, shequ, shequ2 = (
            "demo-louzhang",
            "demo-louzhang2",
            "demo-wuye",
            "demo-shequ",
            "demo-shequ2",
        )
        wangge, jiedao, tiaojie = "demo-wangge", "demo-jiedao", "demo-tiaojie"
        return [
            # 金域蓝湾 building 1: demo-resident's leak waits for the leader; a neighbour's
            # call about it is merged into it.
            self.case(
                "leak",
                mine.place if mine else b01u1,
                "neighbour-leak",
                "楼上漏水到我家天花板",
                Channel.ONLINE,
                self.recent(1),
                by="demo-resident" if mine else None,
                home=mine,
            ),
            self.case(
                "leak-again",
                mine.place if mine else b01u1,
                "neighbour-leak",
                "楼上卫生间漏水，天花板一直滴水",
                Channel.PHONE,
                self.recent(0),
                (0.5, "merge", shequ, {"into": "leak", "text": "与先报的漏水是同一处，已并入。"}),
                home=self.home(b01u1, skip=resident, nth=3),
                description="住户来电反映楼上卫生间漏水，自家天花板一直滴水。",
            ),
            self.case(
                "noise",
                b01u2,
                "neighbour-noise",
                "楼上跳绳噪音大，多次敲门无果",
                Channel.WECHAT_GROUP,
                self.recent(6),
                (0.5, "accept", lz, {}),
                (20, "note", lz, {"text": "已上门提醒楼上住户，约定晚上九点后不在客厅跳绳。"}),
                by=lz,
                home=self.home(b01u2, nth=5),
            ),
            self.case(
                "clutter",
                b01u2,
                "neighbour-clutter",
                "楼道堆放纸箱旧家具，占用公共通道",
                Channel.PATROL,
                self.recent(3),
                (0.1, "accept", lz, {}),
                by=lz,
            ),
            self.case(
                "odour",
                b01u1,
                "neighbour-odour",
                "邻居在楼道晾晒咸鱼腊肉，气味刺鼻",
                Channel.VISIT,
                self.recent(20),
                (0.5, "accept", lz, {}),
                (
                    48,
                    "escalate",
                    lz,
                    {"text": "楼长上门两次，当事住户不配合，需物业和街坊会协助。"},
                ),
                (52, "assign", wuye, {"team_id": company, "text": "安排楼管家上门沟通。"}),
                by=lz,
                home=self.home(b01u1, skip=resident, nth=7),
            ),
            self.case(
                "door",
                f"{jylw}-B01",
                "facilities",
                "单元门禁损坏，门关不上",
                Channel.PATROL,
                self.recent(10),
                (1, "escalate", lz, {"text": "门禁需物业维修。"}),
                (4, "assign", wuye, {"team_id": company, "text": "已派维修师傅，等待配件。"}),
                by=lz,
            ),
            self.case(
                "light",
                b01u1,
                "facilities",
                "楼道声控灯坏了没人修",
                Channel.PHONE,
                self.days_ago(11, 10),
                (2, "accept", lz, {}),
                (30, "note", lz, {"text": "已报物业，物业说灯具要统一采购。"}),
                home=self.home(b01u1, skip=resident, nth=11),
            ),
            # Building 2 (demo-louzhang2).
            self.case(
                "dog",
                f"{jylw}-B02-U1",
                "neighbour-pets",
                "邻居家狗在电梯里便溺不清理",
                Channel.WECHAT_GROUP,
                self.recent(2),
                home=self.home(f"{jylw}-B02-U1", nth=2),
            ),
            self.case(
                "drill",
                f"{jylw}-B02-U2",
                "neighbour-renovation",
                "楼上装修周末一早电钻施工",
                Channel.VISIT,
                self.recent(8),
                (1, "accept", lz2, {}),
                by=lz2,
                home=self.home(f"{jylw}-B02-U2", nth=4),
            ),
            # 江滨东一巷 (demo-xiangzhang) and 桂雅路 (demo-jiezhang).
            self.case(
                "wires",
                "GC-JB-L01",
                "safety",
                "私拉电线“飞线充电”",
                Channel.PATROL,
                self.recent(5),
                (0.2, "accept", "demo-xiangzhang", {}),
                (3, "note", "demo-xiangzhang", {"text": "已提醒住户收回电线，明天复查。"}),
                by="demo-xiangzhang",
                risk=RiskLevel.MEDIUM,
            ),
            self.case(
                "bins",
                "GC-JB-L01",
                "sanitation",
                "垃圾桶满溢无人清运",
                Channel.PHONE,
                self.recent(1),
                home=self.home("GC-JB-L01"),
            ),
            self.case(
                "cloth",
                "GC-GY-S01",
                "safety",
                "厂房门口堆放布料，堵塞消防通道",
                Channel.PATROL,
                self.recent(12),
                (0.2, "accept", "demo-jiezhang", {}),
                (30, "escalate", "demo-jiezhang", {"text": "厂方拒不整改，需社区联合消防检查。"}),
                by="demo-jiezhang",
                risk=RiskLevel.MEDIUM,
            ),
            self.case(
                "lorry",
                "GC-GY-S01",
                "parking",
                "货车在路口乱停影响通行",
                Channel.PHONE,
                self.recent(2),
                contact=True,
            ),
            # 尖东: the grid worker's finds, the community's dispatch, the workshop, tier 4.
            self.case(
                "tiles",
                oldvillage,
                "safety",
                "外墙瓷砖松动脱落",
                Channel.PATROL,
                self.recent(4),
                (1, "accept", shequ, {}),
                (2, "note", wangge, {"text": "已拉警戒线，通知住户绕行，联系施工队评估。"}),
                by=wangge,
                tier=3,
                risk=RiskLevel.HIGH,
            ),
            self.case(
                "car",
                jylw,
                "parking",
                "僵尸车长期占用车位",
                Channel.RECEPTION_DAY,
                self.recent(14),
                (2, "accept", wuye, {}),
                (50, "escalate", wuye, {"text": "需社区协调交警和车主。"}),
                home=self.home(jylw, nth=17),
            ),
            self.case(
                "blame",
                b05,
                "neighbour-leak",
                "卫生间渗水，楼上楼下互相推责",
                Channel.RECEPTION_DAY,
                self.recent(25),
                (0.5, "accept", shequ, {}),
                (20, "assign", shequ, {"team_id": workshop, "text": "双方分歧大，请工作室调解。"}),
                (30, "note", tiaojie, {"text": "已约双方周六上午到调解室面谈。"}),
                by=shequ,
                tier=3,
                home=self.home(b05, nth=1),
            ),
            self.case(
                "site",
                "GC-JD",
                "other",
                "附近工地夜间施工噪音扰民",
                Channel.PHONE,
                self.recent(30),
                (1, "accept", shequ, {}),
                (48, "escalate", shequ, {"text": "涉及城管和建设部门，需街道协调。", "to_tier": 4}),
                by=shequ,
                tier=3,
                contact=True,
            ),
            self.case(
                "sewage",
                "GC-JD-JDXC",
                "sanitation",
                "化粪池堵塞外溢，臭气熏天",
                Channel.PATROL,
                self.days_ago(13, 9.5),
                (1, "accept", shequ, {}),
                (26, "note", shequ, {"text": "已联系环卫所，等待清疏车排期。"}),
                by=wangge,
                tier=3,
            ),
            self.case(
                "fight",
                "GC-JD",
                "security",
                "深夜有人聚众喧哗斗殴",
                Channel.PATROL,
                self.days_ago(6, 10),
                (1, "accept", shequ, {}),
                (
                    20,
                    "escalate",
                    shequ,
                    {
                        "text": "涉嫌违法，需移交公安机关。",
                        "to_tier": 5,
                        "referred_to": "桂城派出所",
                    },
                ),
                by=wangge,
                tier=3,
            ),
            self.case(
                "loan",
                b03,
                "other",
                "要求社区帮忙追讨私人借款",
                Channel.PHONE,
                self.recent(9),
                (5, "reject", shequ, {"text": "属民间借贷纠纷，已告知可向法院起诉或申请调解。"}),
                home=self.home(b03),
                description="住户来电，要求社区出面帮忙追讨借给亲戚的十万元借款。",
            ),
            # 同成 (demo-shequ2): 万科金域中央.
            self.case(
                "trolleys",
                band,
                "neighbour-clutter",
                "门口堆放手推车、鞋柜，劝说无效",
                Channel.VISIT,
                self.recent(9),
                (1, "accept", shequ2, {}),
                (24, "assign", shequ2, {"team_id": workshop, "text": "请工作室指导楼长上门。"}),
                by=shequ2,
                tier=3,
            ),
            self.case(
                "charging",
                zy,
                "safety",
                "私拉电线“飞线充电”",
                Channel.PATROL,
                self.recent(11),
                (0.5, "accept", shequ2, {}),
                by=shequ2,
                tier=3,
            ),
            self.case(
                "canteen",
                zy,
                "other",
                "希望增设长者饭堂",
                Channel.RECEPTION_DAY,
                self.days_ago(16, 15),
                (1, "accept", shequ2, {}),
                (72, "escalate", shequ2, {"text": "需街道统筹场地和资金。", "to_tier": 4}),
                (120, "note", jiedao, {"text": "已与民政部门沟通，正在选址。"}),
                by=shequ2,
                tier=3,
            ),
            # The property company of 金域蓝湾 (demo-wuye).
            self.case(
                "road",
                jylw,
                "facilities",
                "小区路面破损积水",
                Channel.WECHAT_GROUP,
                self.recent(7),
                (1, "assign", wuye, {"team_id": company, "text": "已安排工程部修补。"}),
                home=self.home(jylw, nth=23),
            ),
            self.case(
                "slide",
                jylw,
                "facilities",
                "儿童游乐设施螺丝松动",
                Channel.WECHAT_GROUP,
                self.recent(0),
                home=self.home(jylw, nth=29),
            ),
            # What the mediator and the subdistrict staff entered themselves.
            self.case(
                "corridor",
                f"{jylw}-B02-U2",
                "neighbour-other",
                "两户因公共走廊使用发生争执",
                Channel.RECEPTION_DAY,
                self.recent(13),
                (3, "accept", lz2, {}),
                by=tiaojie,
                tier=None,  # a mediator holds no tier: the case finds its own
                home=self.home(f"{jylw}-B02-U2", nth=6),
            ),
            self.case(
                "flooding",
                "GC-JB",
                "facilities",
                "江滨片区雨后内涝，排水管网需改造",
                Channel.JOINT_MEETING,
                self.recent(15),
                (2, "accept", jiedao, {}),
                (24, "note", jiedao, {"text": "已约区水务部门现场踏勘。"}),
                by=jiedao,
                tier=4,
                description="街道联席会议上，江滨社区反映片区排水管网老旧，每逢暴雨巷内积水"
                "没过脚踝，需区水务部门和街道共同改造。",
            ),
        ]

    # --- Everywhere else ------------------------------------------------------------------

    def elsewhere(self) -> list[LiveCase]:
        """One to three open matters in each of the other communities, in various states."""
        rng, h = self.rng, self.h
        out = []
        tops, mix = list(OPEN_MIX), list(OPEN_MIX.values())
        communities = [c for c, _ in data.COMMUNITIES if c not in ("GC-JD", "GC-TC")]
        for community in communities:
            areas = [a for a in h.areas if a.parent == community]
            for n in range(rng.randint(1, 3)):
                top = rng.choices(tops, mix)[0]
                fits = [a for a in areas if self._fits(a, top)] or areas
                place = h.place_in(rng.choice(fits), top)
                category = top
                if top == "neighbour":
                    category = rng.choice(
                        [c for c in self.f.categories if c.startswith("neighbour-")]
                    )
                state = rng.choices(
                    ("reported", "accepted", "in_progress", "escalated"), (35, 30, 20, 15)
                )[0]
                at = self.recent(
                    rng.randint(0, 10) if state == "reported" else rng.randrange(len(self.slots))
                )
                homes = h.homes(place.code)
                home = rng.choice(homes) if homes and rng.random() < 0.7 else None
                out.append(
                    self.case(
                        f"{community}-{n}",
                        place.code,
                        category,
                        "",
                        rng.choice(
                            (Channel.PHONE, Channel.WECHAT_GROUP, Channel.VISIT, Channel.PATROL)
                        ),
                        at,
                        *self._steps(state, place, top),
                        home=home,
                        contact=home is None,
                    )
                )
        return out

    @staticmethod
    def _fits(area: PlaceRow, top: str) -> bool:
        if top == "property":
            return area.company_id is not None
        if top == "elevator":
            return area.kind == PlaceKind.ESTATE and area.company_id is None
        return True

    def _steps(
        self, state: str, place: PlaceRow, top: str
    ) -> list[tuple[float, str, None, dict[str, object]]]:
        rng = self.rng
        accept: tuple[float, str, None, dict[str, object]] = (
            rng.uniform(0.2, 6),
            "accept",
            None,
            {},
        )
        if state == "reported":
            return []
        if state == "accepted":
            return [accept]
        later = accept[0] + rng.uniform(4, 40)
        entry = self.entry(place, top)
        # One tier up, or past an estate without anyone at tier 2 (given, because the
        # default skips tiers where nobody has a login, which is most of them in the demo).
        has2 = (self.h.tier2_since(place.code) or self.today) < self.today and self._estate(top)
        up = 2 if entry == 1 and has2 else 3
        up = max(up, entry + 1)
        if state == "escalated":
            why = {"text": "协调未果，请求上一级处理。", "to_tier": up}
            return [accept, (later, "escalate", None, why)]
        company = self.h.company(place)
        if (
            company
            and self._estate(top)
            and top in ("facilities", "sanitation", "safety", "parking")
        ):
            steps = [accept]
            if entry == 1:
                why = {"text": "涉及公共设施，需物业处理。", "to_tier": 2}
                steps.append((later, "escalate", None, why))
            steps.append(
                (later + 2, "assign", None, {"team_id": company, "text": "物业已派人处理。"})
            )
            return steps
        return [accept, (later, "note", None, {"text": "已上门了解情况，正在协调。"})]


def plan_live(
    facts: Facts, now: dt.datetime, calendar: WorkCalendar, seed: int = data.SEED
) -> list[LiveCase]:
    live = Live(facts, now, calendar, random.Random(seed + 2026))
    return live.named() + live.elsewhere()
