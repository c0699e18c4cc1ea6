"""The matters of the cases benchmark: one row per case with its timeline and parties, drawn from
one seed over the spots of cases_world.py, in report order (ids grow with reported_at).

What is realistic and what is simplified:
- Reports grow over the years (density ∝ t^0.8 from 2011-08-01 to now), mostly 08:00-21:00.
- Places: stairwells and houses by their households, buildings, estates, lanes, streets and
  communities by smaller weights; categories by the kind of place (neighbour disputes at home,
  facilities and parking in the estate, sanitation and security on the street).
- States by age: nearly all of the last days are open, 1 in 500 of the old ones is stuck open;
  3 % rejected, 2 % merged into an earlier case, the rest settled, followed up and closed.
- Tiers: each case enters at the lowest tier with someone to answer (the leader for homes,
  buildings, lanes and streets; the estate for an estate; the community for itself) and climbs
  0-4 steps (55/22/15/6/2 %); it settles where it stopped.
- Deadlines are calendar approximations of the policy table (accept: 1 day, 2 h when high,
  1 h when critical; resolve: 14 days, 21 for complaints, 1 day high, 2 h critical): the
  working-day calendar holds holiday data for 2025-2027 only.
- The timeline is complete (report, accept, each escalation, assignment, resolution, follow-up,
  close; or reject/merge): about 4.5 events per case. Notifications and photos are not written.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cases_world import Spot, Table

DAY = 86400.0
HOUR = 3600.0
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2011, 8, 1, tzinfo=SHANGHAI)

CASE_COLUMNS = (
    "id",
    "number",
    "title",
    "description",
    "category_id",
    "channel",
    "place_id",
    "place_path",
    "reporter_id",
    "contact_name",
    "contact_phone",
    "recorded_by_id",
    "risk",
    "status",
    "current_tier",
    "max_tier",
    "settled_tier",
    "assignee_person_id",
    "assignee_team_id",
    "reported_at",
    "accepted_at",
    "resolved_at",
    "followed_up_at",
    "closed_at",
    "accept_due",
    "resolve_due",
    "follow_up_due",
    "overdue",
    "reminded_for",
    "escalated_for",
    "merged_into_id",
    "reopened_count",
    "satisfied",
    "resolution_method",
    "resolution_summary",
    "version",
    "updated_at",
    "estate_company_id",
)
EVENT_COLUMNS = (
    "id",
    "case_id",
    "kind",
    "actor_id",
    "at",
    "from_status",
    "to_status",
    "from_tier",
    "to_tier",
    "note",
    "data",
)
PARTY_COLUMNS = ("id", "case_id", "person_id", "side")

HOME = (
    ("neighbour-noise", 15),
    ("neighbour-leak", 15),
    ("neighbour-odour", 6),
    ("neighbour-clutter", 8),
    ("neighbour-pets", 6),
    ("neighbour-renovation", 7),
    ("neighbour-other", 3),
    ("facilities", 14),
    ("property", 10),
    ("safety", 5),
    ("elevator", 5),
    ("sanitation", 3),
    ("other", 3),
)
ESTATE = (
    ("facilities", 40),
    ("sanitation", 20),
    ("parking", 15),
    ("property", 10),
    ("safety", 6),
    ("security", 4),
    ("other", 5),
)
STREET = (
    ("sanitation", 30),
    ("parking", 25),
    ("security", 15),
    ("safety", 15),
    ("facilities", 10),
    ("other", 5),
)
CATEGORIES_AT = {
    "unit": HOME,
    "building": HOME,
    "house": HOME,
    "estate": ESTATE,
    "lane": ESTATE,
    "street": STREET,
    "community": STREET,
}
ENTRY_TIER = {
    "unit": 1,
    "building": 1,
    "house": 1,
    "lane": 1,
    "street": 1,
    "estate": 2,
    "community": 3,
}
TITLES = {
    "neighbour-noise": ("{p}楼上夜间噪音扰民", "{p}邻居深夜唱卡拉OK", "{p}邻居凌晨拖动家具"),
    "neighbour-leak": ("楼上漏水到我家（{p}）", "{p}卫生间渗水到楼下", "{p}厨房水管漏水影响楼下"),
    "neighbour-odour": ("{p}邻居晒咸鱼有异味", "{p}楼道异味严重", "{p}邻居家养鸡臭味大"),
    "neighbour-clutter": ("{p}楼道堆放杂物", "{p}消防通道被杂物堵塞", "{p}天台堆满旧家具"),
    "neighbour-pets": ("{p}邻居狗吠扰民", "{p}宠物粪便无人清理", "{p}邻居养猫太多有异味"),
    "neighbour-renovation": ("{p}装修噪音超时", "{p}装修垃圾乱堆", "{p}装修拆改承重墙"),
    "neighbour-other": ("{p}邻里纠纷需要调解", "{p}邻居占用公共走廊"),
    "property": ("{p}物业维修不及时", "{p}门禁损坏物业不修", "{p}物业费收费有争议"),
    "sanitation": ("{p}垃圾桶满溢无人清运", "{p}绿化带垃圾多", "{p}化粪池堵塞外溢"),
    "security": ("{p}电动车被盗", "{p}夜间有陌生人徘徊", "{p}监控损坏"),
    "facilities": ("{p}路灯不亮", "{p}单元门损坏", "{p}健身器材损坏", "{p}楼道灯坏了"),
    "safety": ("{p}电动车在楼道充电", "{p}消防栓没有水", "{p}高空抛物"),
    "parking": ("{p}车辆乱停堵塞通道", "{p}占用消防通道停车", "{p}共享单车乱放"),
    "elevator": ("{p}加装电梯意见不一", "{p}加装电梯施工协调"),
    "other": ("{p}其他事项反映", "{p}咨询社区办事流程"),
}
DETAILS = (
    "已经持续{n}天，希望尽快处理。",
    "多次沟通无果，请社区协调。",
    "影响老人和小孩休息，麻烦跟进。",
    "之前反映过一次，还没有解决。",
    "白天家里没人，请电话联系。",
)
SUMMARIES = {
    "on_the_spot": "楼长现场协调，双方达成一致。",
    "mediation": "调解员组织双方调解，签订协议。",
    "property_repair": "物业已安排维修，回访确认修好。",
    "joint_meeting": "联席会议研究处理，相关部门已落实。",
    "referral": "已转交区职能部门办理。",
}
METHODS = {
    1: (("on_the_spot", 0.8), ("mediation", 1.0)),
    2: (("property_repair", 0.6), ("mediation", 1.0)),
    3: (("mediation", 0.5), ("joint_meeting", 1.0)),
    4: (("joint_meeting", 0.7), ("mediation", 1.0)),
    5: (("referral", 1.0),),
}
CHANNELS = (
    ("reception_day", 10),
    ("patrol", 20),
    ("visit", 15),
    ("wechat_group", 25),
    ("phone", 10),
    ("online", 18),
    ("joint_meeting", 1),
    ("open311", 1),
)
RISKS = (("low", 80), ("medium", 14), ("high", 5), ("critical", 1))
STEPS = ((0, 55), (1, 22), (2, 15), (3, 6), (4, 2))
# Hours of the day (Shanghai) when matters are reported, by weight.
HOURS = [1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 8, 9, 12, 13, 12, 10, 10, 11, 10, 8, 4, 2]
SETTLE_DAYS = {1: 1.0, 2: 4.0, 3: 8.0, 4: 15.0, 5: 30.0}
SURNAMES = "陈梁黄李何张罗潘冯吴谭林"


def weighted(pairs: tuple[tuple[Any, int], ...]) -> tuple[list[Any], list[int]]:
    values = [v for v, _w in pairs]
    cum, total = [], 0
    for _v, w in pairs:
        total += w
        cum.append(total)
    return values, cum


def report_times(n: int, rng: random.Random, now: dt.datetime) -> list[float]:
    """n report times (epoch seconds), sorted, from START to now, growing over the years."""
    start = START.timestamp()
    days = (now.timestamp() - start) / DAY
    end = now.timestamp()
    hours, hour_cum = weighted(tuple((h, w) for h, w in enumerate(HOURS)))
    times = []
    for _ in range(n):
        day = math.floor(days * rng.random() ** (1 / 1.8))
        hour = rng.choices(hours, cum_weights=hour_cum)[0]
        t = start + day * DAY + hour * HOUR + rng.random() * HOUR
        times.append(min(t, end - rng.random() * 600))
    times.sort()
    return times


@dataclass
class CaseBatch:
    cases: Table
    events: Table
    parties: Table


@dataclass
class Counters:
    """Numbers per year (GC-YYYY-NNNNNN) and the states written, for the summary."""

    per_year: dict[int, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    max_tiers: dict[int, int] = field(default_factory=dict)
    open_cases: int = 0


class CaseMaker:
    def __init__(
        self,
        *,
        models: Any,
        spots: list[Spot],
        categories: dict[str, int],
        community_staff: dict[int, list[int]],
        prefix: str,
        seed: int,
        now: dt.datetime,
        next_case: int,
        next_event: int,
        next_party: int,
    ) -> None:
        self.m = models
        self.rng = random.Random(seed)
        self.spots = spots
        cum, total = [], 0.0
        for s in spots:
            total += s.weight
            cum.append(total)
        self.spot_cum = cum
        self.categories = categories
        self.community_staff = community_staff
        self.prefix = prefix
        self.now = now
        self.now_ts = now.timestamp()
        self.next_case = next_case
        self.next_event = next_event
        self.next_party = next_party
        self.first_case = next_case
        self.counters = Counters()
        self.cat_at = {level: weighted(pairs) for level, pairs in CATEGORIES_AT.items()}
        self.channels = weighted(CHANNELS)
        self.risks = weighted(RISKS)
        self.steps = weighted(STEPS)

    def batch(self, times: list[float]) -> CaseBatch:
        m = self.m
        batch = CaseBatch(
            Table(m.Case, CASE_COLUMNS),
            Table(m.CaseEvent, EVENT_COLUMNS),
            Table(m.CaseParty, PARTY_COLUMNS),
        )
        spots = self.rng.choices(self.spots, cum_weights=self.spot_cum, k=len(times))
        for ts, spot in zip(times, spots, strict=True):
            self._case(ts, spot, batch)
        return batch

    def _case(self, ts: float, spot: Spot, out: CaseBatch) -> None:
        rng = self.rng
        now_ts = self.now_ts
        pk = self.next_case
        self.next_case += 1
        reported = dt.datetime.fromtimestamp(ts, SHANGHAI)
        year = reported.year
        seq = self.counters.per_year.get(year, 0) + 1
        self.counters.per_year[year] = seq
        values, cum = self.cat_at[spot.level]
        code = rng.choices(values, cum_weights=cum)[0]
        title = rng.choice(TITLES[code]).format(p=spot.label)
        description = title + "，" + rng.choice(DETAILS).format(n=rng.randint(2, 30))
        channel = rng.choices(self.channels[0], cum_weights=self.channels[1])[0]
        risk = rng.choices(self.risks[0], cum_weights=self.risks[1])[0]

        reporter = None
        contact_name = contact_phone = ""
        recorded_by = None
        lo, hi = spot.persons
        if channel in ("online", "wechat_group", "visit", "reception_day") and hi > lo:
            reporter = rng.randrange(lo, hi)
        elif channel in ("phone", "joint_meeting", "open311") or hi <= lo:
            contact_name = rng.choice(SURNAMES) + rng.choice(("先生", "女士", "阿姨", "伯"))
            contact_phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        if channel in ("patrol", "visit", "reception_day", "wechat_group"):
            recorded_by = spot.leader_user

        entry = ENTRY_TIER[spot.level]
        steps = rng.choices(self.steps[0], cum_weights=self.steps[1])[0]
        if code in ("security", "elevator") and steps < 3:
            steps += 1
        max_tier = min(5, entry + steps)
        # What reaches the estate tier in an estate with a property company is held by it
        # (cases/estate.py): never public security, never a complaint about the company.
        estate_company = (
            spot.company
            if spot.company and entry <= 2 <= max_tier and code not in ("security", "property")
            else None
        )

        age = (now_ts - ts) / DAY
        p_open = (
            0.9
            if age < 2
            else 0.55
            if age < 10
            else 0.2
            if age < 45
            else 0.03
            if age < 365
            else 0.002
        )
        r = rng.random()
        if r < p_open:
            if age < 1:
                status = rng.choices(("reported", "accepted", "in_progress"), (5, 3, 2))[0]
            else:
                status = rng.choices(("reported", "accepted", "in_progress"), (15, 25, 60))[0]
            if status == "reported":
                max_tier = entry
        else:
            r = rng.random()
            if r < 0.03:
                status, max_tier = "rejected", entry
            elif r < 0.05 and pk > self.first_case + 10:
                status, max_tier = "merged", entry
            elif age < 20:
                status = rng.choices(("resolved", "followed_up", "closed"), (4, 3, 3))[0]
            else:
                status = "closed" if rng.random() < 0.9 else "followed_up"
        current = max_tier
        is_open = status in ("reported", "accepted", "in_progress")

        # Deadlines (calendar approximations of the policy table).
        if risk == "critical":
            accept_span, resolve_span = HOUR, 2 * HOUR
        elif risk == "high":
            accept_span, resolve_span = 2 * HOUR, DAY
        else:
            complaint = code.startswith("neighbour") or code in ("property", "security")
            accept_span, resolve_span = DAY, (21 if complaint else 14) * DAY
        accept_due = ts + accept_span
        resolve_due = ts + resolve_span

        # The timeline: (kind, at, from_status, to_status, from_tier, to_tier, note, actor)
        events: list[tuple[Any, ...]] = [
            ("reported", ts, "", "reported", entry, entry, "", recorded_by)
        ]
        accepted = resolved = followed = closed = None
        assignee_person = assignee_team = None
        settled = None
        method = summary = ""
        satisfied = None
        merged_into = None
        horizon = now_ts - 60
        if status == "rejected":
            at = min(ts + rng.expovariate(1 / (4 * HOUR)), horizon)
            events.append(
                ("rejected", at, "reported", "rejected", entry, entry, "不属于受理范围。", None)
            )
        elif status == "merged":
            merged_into = pk - rng.randint(1, min(500, pk - self.first_case))
            at = min(ts + rng.expovariate(1 / (4 * HOUR)), horizon)
            events.append(("merged", at, "reported", "merged", entry, entry, "重复反映。", None))
        elif status != "reported":
            accepted = min(ts + 300 + rng.expovariate(1 / (5 * HOUR)), horizon)
            events.append(("accepted", accepted, "reported", "accepted", entry, entry, "", None))
            span = SETTLE_DAYS[max_tier] * DAY
            end = accepted + rng.uniform(0.3, 2.5) * span
            end = min(end, horizon)
            t = accepted
            for tier in range(entry + 1, max_tier + 1):
                t = min(t + (end - accepted) / (max_tier - entry + 2), horizon)
                events.append(
                    (
                        "escalated",
                        t,
                        "accepted",
                        "accepted",
                        tier - 1,
                        tier,
                        "本级无法解决，上报。",
                        None,
                    )
                )
            in_progress = status != "accepted"
            if in_progress:
                if max_tier == 2 and spot.company:
                    assignee_team = spot.company
                elif max_tier >= 3:
                    assignee_person = rng.choice(self.community_staff[spot.community])
                else:
                    assignee_person = spot.leader_person
                t = min(t + 600, horizon)
                events.append(
                    ("assigned", t, "accepted", "in_progress", max_tier, max_tier, "", None)
                )
            if status in ("resolved", "followed_up", "closed"):
                resolved = max(end, t + 60)
                method = self._method(max_tier, spot)
                summary = SUMMARIES[method]
                settled = max_tier
                events.append(
                    (
                        "resolved",
                        resolved,
                        "in_progress",
                        "resolved",
                        max_tier,
                        max_tier,
                        summary,
                        None,
                    )
                )
                if status in ("followed_up", "closed") and reporter is not None:
                    followed = min(resolved + rng.uniform(0.5, 2) * DAY, horizon)
                    satisfied = rng.random() < 0.95
                    events.append(
                        (
                            "followed_up",
                            followed,
                            "resolved",
                            "followed_up",
                            max_tier,
                            max_tier,
                            "",
                            None,
                        )
                    )
                if status == "closed":
                    closed = min((followed or resolved) + rng.uniform(0.1, 1) * DAY, horizon)
                    events.append(
                        (
                            "closed",
                            closed,
                            "followed_up" if followed else "resolved",
                            "closed",
                            max_tier,
                            max_tier,
                            "",
                            None,
                        )
                    )
                elif status == "followed_up" and followed is None:
                    status = "resolved"  # no reachable reporter: nobody to follow up with yet

        overdue = "none"
        if is_open:
            due = accept_due if status == "reported" else resolve_due
            overdue = "red" if due < now_ts else "yellow" if due - now_ts < DAY else "none"
            self.counters.open_cases += 1
        self.counters.statuses[status] = self.counters.statuses.get(status, 0) + 1
        self.counters.max_tiers[max_tier] = self.counters.max_tiers.get(max_tier, 0) + 1

        stamp = dt.datetime.fromtimestamp
        out.cases.rows.append(
            (
                pk,
                f"{self.prefix}-{year}-{seq:06d}",
                title,
                description,
                self.categories[code],
                channel,
                spot.place_id,
                spot.path,
                reporter,
                contact_name,
                contact_phone,
                recorded_by,
                risk,
                status,
                current,
                max_tier,
                settled,
                assignee_person,
                assignee_team,
                reported,
                stamp(accepted, SHANGHAI) if accepted else None,
                stamp(resolved, SHANGHAI) if resolved else None,
                stamp(followed, SHANGHAI) if followed else None,
                stamp(closed, SHANGHAI) if closed else None,
                stamp(accept_due, SHANGHAI),
                stamp(resolve_due, SHANGHAI),
                stamp(resolved + DAY, SHANGHAI) if resolved and not followed else None,
                overdue,
                None,
                None,
                merged_into,
                1 if satisfied is not None and rng.random() < 0.04 else 0,
                satisfied,
                method,
                summary,
                len(events),
                stamp(events[-1][1], SHANGHAI),
                estate_company,
            )
        )
        for kind, at, from_status, to_status, from_tier, to_tier, note, actor in events:
            data = (
                f'{{"channel": "{channel}", "notified": [], "photos": 0}}'
                if kind == "reported"
                else "{}"
            )
            out.events.rows.append(
                (
                    self.next_event,
                    pk,
                    kind,
                    actor,
                    stamp(at, SHANGHAI),
                    from_status,
                    to_status,
                    from_tier,
                    to_tier,
                    note,
                    data,
                )
            )
            self.next_event += 1
        if (
            code.startswith("neighbour")
            and reporter is not None
            and hi - lo > 1
            and rng.random() < 0.6
        ):
            other = rng.randrange(lo, hi)
            if other != reporter:
                out.parties.rows.append((self.next_party, pk, other, "respondent"))
                self.next_party += 1

    def _method(self, tier: int, spot: Spot) -> str:
        if tier == 2 and not spot.company:
            return "mediation"
        r = self.rng.random()
        for method, upto in METHODS[tier]:
            if r < upto:
                return method
        return METHODS[tier][-1][0]


def chunks(times: list[float], size: int) -> Iterator[list[float]]:
    for start in range(0, len(times), size):
        yield times[start : start + size]
