"""Drawing the demo's settled cases: where and when, who reported, at which tier it was entered
and settled, and each step of its timeline (see shuren/demo/cases.py for the whole plan)."""

from __future__ import annotations

import datetime as dt
import random

from shuren.cases.choices import EstateTier, EventKind
from shuren.cases.estate import estate_tier_of
from shuren.cases.intake.history import HistoricalCase, HistoricalStep
from shuren.cases.models import PartySide
from shuren.demo import case_texts as texts
from shuren.demo import data
from shuren.demo.case_facts import DEMO_SOURCE, EARLY, HANDLERS, Facts, Home, PlaceRow, Plan, aware
from shuren.places.models import Place, PlaceKind
from shuren.workdays.calendar import SHANGHAI

NEIGHBOUR_KINDS = {
    "neighbour-noise": 30,
    "neighbour-leak": 20,
    "neighbour-odour": 10,
    "neighbour-clutter": 12,
    "neighbour-pets": 12,
    "neighbour-renovation": 10,
    "neighbour-other": 6,
}
# Where each kind of matter is settled: weights of tiers 1-5. Most on the spot, very few
# beyond the subdistrict (小事不出社区、大事不出街道、矛盾不上交).
SETTLED_TIERS = {
    "neighbour": (55, 25, 13, 5, 2),
    "property": (10, 50, 28, 10, 2),
    "sanitation": (45, 45, 8, 2, 0),
    "security": (20, 30, 30, 13, 7),
    "facilities": (35, 55, 8, 2, 0),
    "safety": (30, 45, 18, 6, 1),
    "parking": (35, 45, 15, 4, 1),
    "elevator": (0, 25, 48, 25, 2),
    "other": (40, 25, 25, 8, 2),
}
# Where in an area a matter of each kind happens: weights of (home, building, area, community).
LEVELS = {
    "neighbour": (1, 0, 0, 0),
    "elevator": (0, 1, 0, 0),
    "facilities": (4, 3, 3, 0),
    "safety": (0, 55, 40, 5),
    "sanitation": (0, 45, 50, 5),
    "security": (0, 30, 60, 10),
    "parking": (0, 0, 92, 8),
    "property": (0, 30, 70, 0),
    "other": (0, 0, 70, 30),
}
# Hours from the last step to the resolution, by settled tier.
RESOLVE_HOURS = {1: (0.5, 48), 2: (4, 24 * 7), 3: (24, 24 * 14), 4: (24 * 5, 24 * 30)}
RESOLVE_HOURS[5] = (24 * 15, 24 * 75)
REOPEN_SHARE = 0.12


# --- The history ------------------------------------------------------------------------------


class History:
    """Draws settled cases: where, when, who, which tier, and each step of their timeline."""

    def __init__(self, facts: Facts, now: dt.datetime, rng: random.Random) -> None:
        self.f, self.now, self.rng = facts, now, rng
        self.today = now.astimezone(SHANGHAI).date()
        areas = [r for r in facts.places.values() if r.kind in ("estate", "lane", "street")]
        areas += [r for r in facts.places.values() if r.kind == PlaceKind.COMMUNITY]
        self.areas = areas
        self.weights = [self._weight(r) for r in areas]
        self._tier1: dict[str, dt.date | None] = {}
        self._homes: dict[str, list[Home]] = {}
        self._stubs: dict[str, Place] = {}
        self.handlers = [
            (facts.places[place].path, tier, facts.user_id(name), facts.since.get(name, EARLY))
            for name, place, tier in HANDLERS
            if name in facts.users and place in facts.places
        ]

    @staticmethod
    def _weight(row: PlaceRow) -> float:
        if row.code == data.JYLW[0]:
            return 30
        if row.code == data.JYZY[0]:
            return 15
        return {"estate": 2 if row.company_id else 1.5, "lane": 0.6, "street": 3}.get(row.kind, 0.3)

    # Places

    def area(self, top: str, day: dt.date) -> PlaceRow:
        while True:
            row = self.rng.choices(self.areas, self.weights)[0]
            if row.code.startswith(data.JYZY[0]) and day < data.JYZY_LEADERS_SINCE:
                continue  # 同成 and its new estate began in 2019
            if top in ("neighbour", "elevator") and row.kind == PlaceKind.COMMUNITY:
                continue
            if top == "property" and not row.company_id:
                continue
            if top == "elevator" and (row.company_id or row.kind != PlaceKind.ESTATE):
                continue  # lifts are added to old walk-ups
            return row

    def place(self, top: str, day: dt.date) -> PlaceRow:
        return self.place_in(self.area(top, day), top)

    def place_in(self, area: PlaceRow, top: str) -> PlaceRow:
        """Where in the area a matter of this kind happens: a flat's stairwell, a building,
        the estate (lane, street) itself, or its community."""
        level = self.rng.choices(("home", "building", "area", "community"), LEVELS[top])[0]
        if area.kind == PlaceKind.COMMUNITY:
            return area
        if level == "community":
            return self.f.places[area.parent or area.code]
        buildings = self.f.children.get(area.code, [])
        if level == "area" or not buildings:
            return area
        building = self.rng.choice(buildings)
        below = self.f.children.get(building, [])
        if level == "home" and below:
            return self.f.places[self.rng.choice(below)]
        return self.f.places[building]

    def stub(self, row: PlaceRow) -> Place:
        if row.code not in self._stubs:
            self._stubs[row.code] = row.stub()
        return self._stubs[row.code]

    def tier1_since(self, code: str) -> dt.date | None:
        if code not in self._tier1:
            days = [
                self.f.tier1_at[r.code] for r in self.f.ancestors(code) if r.code in self.f.tier1_at
            ]
            if self.f.places[code].kind == PlaceKind.BUILDING:
                # A tower's leaders serve its floor bands.
                days += [
                    self.f.tier1_at[c]
                    for c in self.f.children.get(code, [])
                    if c in self.f.tier1_at
                ]
            self._tier1[code] = min(days) if days else None
        return self._tier1[code]

    def tier2_since(self, code: str) -> dt.date | None:
        for row in self.f.ancestors(code):
            if row.kind in ("estate", "lane", "street"):
                return self.f.tier2_at.get(row.code)
        return None

    def homes(self, code: str) -> list[Home]:
        if code not in self._homes:
            found, todo = [], [code]
            while todo:
                current = todo.pop()
                found += self.f.homes.get(current, [])
                todo += self.f.children.get(current, [])
            self._homes[code] = found
        return self._homes[code]

    def resident(self, code: str, day: dt.date) -> Home | None:
        """Someone who lived at (or under) the place on that day, if a few tries find one."""
        homes = self.homes(code)
        for _ in range(6 if homes else 0):
            home = self.rng.choice(homes)
            if home.moved_in <= day:
                return home
        return None

    def actor(self, path: str, tier: int, day: dt.date) -> int | None:
        for root, handler_tier, user_id, since in self.handlers:
            if handler_tier == tier and path.startswith(root) and since <= day:
                return user_id
        return None

    # Times

    def moment(self, month: dt.date, latest: dt.datetime) -> dt.datetime:
        """A report time in the month: mostly working hours on a weekday, never after latest."""
        rng = self.rng
        last = min(
            (month + dt.timedelta(days=32)).replace(day=1),
            latest.astimezone(SHANGHAI).date() + dt.timedelta(days=1),
        )
        span = (last - month).days
        for _ in range(20):
            day = month + dt.timedelta(days=rng.randrange(span))
            if rng.random() < 0.85:
                if day.weekday() >= 5:
                    continue
                hour = rng.uniform(9, 11.9) if rng.random() < 0.45 else rng.uniform(13.5, 17.9)
            else:
                hour = rng.uniform(18.5, 21.5) if day.weekday() < 5 else rng.uniform(9, 18)
            at = aware(day, hour)
            if at < latest:
                return at
        return latest - dt.timedelta(hours=rng.uniform(1, 5))

    # One case

    def channel(self, year: int) -> str:
        if year <= 2013:
            mix = {"reception_day": 30, "visit": 30, "phone": 25, "patrol": 10, "joint_meeting": 5}
        elif year <= 2019:
            mix = {"reception_day": 20, "visit": 25, "phone": 15, "patrol": 15, "wechat_group": 20}
            mix["joint_meeting"] = 5
        else:
            mix = {"reception_day": 10, "visit": 15, "phone": 12, "patrol": 15, "wechat_group": 25}
            mix.update(
                online=12 + 2 * (year - 2020), joint_meeting=3, open311=2 if year >= 2024 else 0
            )
        return self.rng.choices(list(mix), list(mix.values()))[0]

    def settled_tier(self, top: str, allowed: list[int]) -> int:
        weights = [SETTLED_TIERS[top][t - 1] for t in allowed]
        if not any(weights):
            return allowed[0]
        return self.rng.choices(allowed, weights)[0]

    def contact(self) -> tuple[str, str]:
        rng = self.rng
        name = rng.choice(texts.SURNAMES) + rng.choice(texts.CONTACT_TITLES)
        return name, f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"

    def words(self, category: str, home: Home | None, title: str = "") -> tuple[str, str]:
        """A title and description of the category (the given title's, if any), with the
        reporter's flat and its neighbours filled in."""
        rng = self.rng
        reports = texts.REPORTS[category]
        if title:
            title, description = next(r for r in reports if r[0] == title)
        else:
            title, description = rng.choice(reports)
        room = home.room if home else f"{rng.randint(2, 18)}{rng.randint(1, 4):02d}"
        up = down = ""
        if room.isdigit() and len(room) >= 3:
            floor, flat = int(room[:-2]), room[-2:]
            up, down = f"{floor + 1}{flat}", f"{max(floor - 1, 1)}{flat}"
        plate = f"粤E{rng.choice('ABCDFGHJKLMNPQRSTUVWXYZ')}{rng.randrange(10000):04d}"
        return title, description.format(room=room, up=up, down=down, plate=plate)

    def case(self, top: str, month: dt.date, boundary: dt.datetime) -> HistoricalCase | None:
        """One settled case reported in the month and resolved before boundary, or None."""
        rng, f = self.rng, self.f
        reported = self.moment(month, min(boundary, self.now) - dt.timedelta(hours=2))
        day = reported.astimezone(SHANGHAI).date()
        category = (
            rng.choices(list(NEIGHBOUR_KINDS), list(NEIGHBOUR_KINDS.values()))[0]
            if top == "neighbour"
            else top
        )
        place = self.place(top, day)
        tier1, tier2 = self.tier1_since(place.code), self.tier2_since(place.code)
        has1 = tier1 is not None and tier1 <= day and place.kind != PlaceKind.COMMUNITY
        has2 = tier2 is not None and tier2 <= day and place.kind != PlaceKind.COMMUNITY
        # The estate tier takes what its policy gives it (cases/estate.py): not public security,
        # and not complaints about the property company (whose committees have no say here).
        has2 = has2 and estate_tier_of(self.f.categories[category]) == EstateTier.ALL
        entry = 1 if has1 else 2 if has2 else 3
        allowed = [t for t in (1, 2, 3, 4, 5) if t >= entry and (t != 2 or has2)]
        settled = self.settled_tier(top, allowed)
        if settled >= 3 and rng.random() < 0.2:
            entry = 3  # brought straight to the community: a call, a reception day

        channel = self.channel(day.year)
        home = reporter = None
        contact = ("", "")
        if channel not in ("patrol", "joint_meeting"):  # found by a leader or at a meeting
            home = self.resident(place.code, day)
            if home is None or (channel in ("phone", "open311") and rng.random() < 0.6):
                home, contact = None, self.contact()
            else:
                reporter = home.person_id
        title, description = self.words(category, home)
        parties: list[tuple[int, str]] = []
        if top == "neighbour" and home is not None and rng.random() < 0.6:
            other = self.resident(place.code, day)
            if other is not None and other.person_id != home.person_id:
                parties = [
                    (home.person_id, PartySide.APPLICANT),
                    (other.person_id, PartySide.RESPONDENT),
                ]

        reachable = reporter is not None or bool(contact[0])
        steps = self.timeline(top, place, entry, settled, has2, reported, boundary, reachable)
        if steps is None:
            return None
        recorded_by = self.actor(place.path, entry, day)
        if (
            channel == "online"
            and reporter is not None
            and reporter == f.person_id("demo-resident")
        ):
            recorded_by = f.user_id("demo-resident")
        return HistoricalCase(
            place=self.stub(place),
            category=f.categories[category],
            title=title,
            description=description,
            reported_at=reported,
            steps=steps,
            channel=channel,
            tier=entry,
            reporter_id=reporter,
            contact_name=contact[0],
            contact_phone=contact[1],
            recorded_by_id=recorded_by,
            parties=parties,
            source=DEMO_SOURCE,
        )

    def timeline(
        self,
        top: str,
        place: PlaceRow,
        entry: int,
        settled: int,
        has2: bool,
        reported: dt.datetime,
        boundary: dt.datetime,
        reachable: bool,
    ) -> list[HistoricalStep] | None:
        """The steps from report to closing; None when it would not be settled by now."""
        rng = self.rng
        hours = 0.0
        plan: list[Plan] = []
        if not (settled == entry == 1 and rng.random() < 0.5):  # else settled as soon as told
            hours += rng.uniform(0.1, 4) if entry == 1 else rng.uniform(0.5, 20)
            plan.append((hours, EventKind.ACCEPTED, entry, {}))
        tier = entry
        while tier < settled:
            target = tier + 1
            if target == 2 and not has2:
                target = 3
            if settled == 5 and tier >= 3 and rng.random() < 0.5:
                target = 5
            target = min(target, settled)
            hours += rng.uniform(4, 72)
            extra = {
                "note": rng.choice(texts.ESCALATION_REASONS[min(target - 1, 4)]),
                "to_tier": target,
            }
            if target == 5:
                extra["referred_to"] = rng.choice(texts.REFERRALS)
            plan.append((hours, EventKind.ESCALATED, tier, extra))
            tier = target
        method = self.method(top, settled, place)
        team = self.team_for(top, settled, method, place, reported)
        if team:
            hours += rng.uniform(1, 24)
            plan.append((hours, EventKind.ASSIGNED, settled, {"team_id": team}))
        hours += rng.uniform(*RESOLVE_HOURS[settled])
        referred = next((str(e["referred_to"]) for *_x, e in plan if e.get("referred_to")), "")
        plan.append(
            (
                hours,
                EventKind.RESOLVED,
                settled,
                {"method": method, "note": self.summary(method, settled, referred, top, place)},
            )
        )
        limit = (min(boundary, self.now) - reported).total_seconds() / 3600 - 0.05
        if hours > limit:
            if boundary >= self.now:
                return None  # not settled yet: such matters are the open ones
            # The article's period ends on 2019-12-31: a late case was settled faster.
            plan = [(at * limit / hours, kind, tier, extra) for at, kind, tier, extra in plan]
            hours = limit
        in_period = boundary < self.now
        plan += self.after_resolution(
            hours,
            settled,
            method,
            referred,
            top,
            place=place,
            reachable=reachable,
            limit=limit if in_period else None,
        )
        return self.steps(
            place, reported, plan, workshop=team == self.f.teams.get(data.WORKSHOP[0])
        )

    def steps(
        self, place: PlaceRow, reported: dt.datetime, plan: list[Plan], workshop: bool = False
    ) -> list[HistoricalStep]:
        """The planned steps up to now, with the demo login who took each (if any)."""
        steps = []
        for at, kind, acting, extra in plan:
            moment = reported + dt.timedelta(hours=at)
            if moment >= self.now:
                break
            day = moment.astimezone(SHANGHAI).date()
            actor = self.actor(place.path, acting, day)
            if kind == EventKind.RESOLVED and workshop:
                actor = self.workshop_actor(place, day) or actor
            steps.append(HistoricalStep(kind=kind, at=moment, actor_id=actor, **extra))
        # A reopened case whose new resolution lies ahead is not history yet.
        while steps and steps[-1].kind == EventKind.REOPENED:
            steps.pop()
        return steps

    def after_resolution(
        self,
        hours: float,
        settled: int,
        method: str,
        referred: str,
        top: str,
        *,
        place: PlaceRow,
        reachable: bool,
        limit: float | None,
    ) -> list[Plan]:
        """Follow-up (when someone can be asked), perhaps a reopening, and closing. A case of
        the article's period is not reopened past its end (limit: hours after the report)."""
        rng = self.rng
        plan: list[Plan] = []
        if not reachable:
            return [(hours + rng.uniform(0.5, 48), EventKind.CLOSED, 3, {})]
        hours += rng.uniform(18, 72)
        again = hours + rng.uniform(24, 240)
        if rng.random() < REOPEN_SHARE and (limit is None or again <= limit):
            plan.append((hours, EventKind.REOPENED, 3, {"note": rng.choice(texts.REOPEN_NOTES)}))
            summary = self.summary(method, settled, referred, top, place)
            plan.append((again, EventKind.RESOLVED, settled, {"method": method, "note": summary}))
            hours = again
            if rng.random() < 0.5:  # else the reporter stays unsatisfied; staff close it
                hours += rng.uniform(18, 72)
                note = rng.choice(texts.FOLLOW_UP_NOTES)
                plan.append((hours, EventKind.FOLLOWED_UP, 3, {"note": note}))
        else:
            note = rng.choice(texts.FOLLOW_UP_NOTES)
            plan.append((hours, EventKind.FOLLOWED_UP, 3, {"note": note}))
        plan.append((hours + rng.uniform(0.5, 48), EventKind.CLOSED, 3, {}))
        return plan

    def method(self, top: str, tier: int, place: PlaceRow) -> str:
        rng = self.rng
        if tier == 5:
            return "referral"
        if tier == 1:
            return "mediation" if top == "neighbour" and rng.random() < 0.1 else "on_the_spot"
        people = top in ("neighbour", "parking", "elevator", "other", "security")
        if tier == 2:
            if people:
                return rng.choices(("mediation", "on_the_spot", "joint_meeting"), (60, 25, 15))[0]
            repair = "property_repair" if self.company(place) else "on_the_spot"
            return rng.choices((repair, "joint_meeting", "mediation"), (70, 15, 15))[0]
        if tier == 3:
            if people or top == "property":
                return rng.choices(("mediation", "joint_meeting"), (65, 35))[0]
            return rng.choices(("joint_meeting", "property_repair", "mediation"), (50, 30, 20))[0]
        return rng.choices(("joint_meeting", "mediation"), (70, 30))[0]

    def company(self, place: PlaceRow) -> int | None:
        return next((r.company_id for r in self.f.ancestors(place.code) if r.company_id), None)

    def team_for(
        self, top: str, tier: int, method: str, place: PlaceRow, at: dt.datetime
    ) -> int | None:
        if method == "property_repair" and tier in (2, 3):
            return self.company(place)
        if method == "mediation" and tier == 3 and at.year >= 2019 and self.rng.random() < 0.5:
            return self.f.teams.get(data.WORKSHOP[0])
        if top == "property" and tier == 4 and at.year >= 2019:
            return self.f.teams.get(data.MEDIATION_COMMITTEE[0])
        return None

    def workshop_actor(self, place: PlaceRow, day: dt.date) -> int | None:
        name = "demo-tiaojie"
        if (
            name in self.f.users
            and place.code.startswith(("GC-JD", "GC-TC"))
            and self.f.since.get(name, day) <= day
        ):
            return self.f.user_id(name)
        return None

    def summary(
        self, method: str, tier: int, referred: str, top: str, place: PlaceRow | None = None
    ) -> str:
        by = self.rng.choice(texts.SETTLED_BY[tier])
        if tier == 2 and place is not None and not self.company(place):
            by = "自治小组"
        line = self.rng.choice(texts.summaries(method, top, tier))
        return line.format(by=by, to=referred or "相关部门")
