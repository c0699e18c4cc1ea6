"""The figures of a place and period, read from the tallies (or, below the estate level, counted
from its matters by the same definitions), and the leaders' figures from posts and teams.
Every face (the overviews, the work report, its PDF and Excel, the API) reads them here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from shuren.cases.metrics import Rate
from shuren.cases.models import Case, Category
from shuren.deliberation.elevators.queries import in_service_counts
from shuren.insights.models import COUNTERS, Tally
from shuren.insights.tallies import AREA_LEN, FACT_FIELDS, difference, facts_of
from shuren.people.models import Post, Team, TeamKind
from shuren.people.roles import Role
from shuren.places.paths import STEP_LEN, subtree_q
from shuren.workdays.calendar import SHANGHAI

Counts = dict[str, int]
# The article's "1494名楼长(含党员楼长384名)" counts building leaders (楼长); lane and street
# leaders (巷长、街长) are leaders of another kind, not in that figure.
LEADER_ROLES = (Role.LOUZHANG,)
# The longest period a figure is asked for: from the start of 创熟 (2011) with room to spare.
MAX_DAYS = 366 * 30


class PeriodError(ValueError):
    """A period that cannot be counted (the words say why)."""


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(_("The period ends before it starts."))
        if (self.end - self.start).days > MAX_DAYS:
            raise PeriodError(_("The period is longer than thirty years."))

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end] as aware moments: local midnight of the start to that after the end."""
        return (
            dt.datetime.combine(self.start, dt.time(), tzinfo=SHANGHAI),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI),
        )


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def period_parts(period: Period, *, years: bool = True) -> list[tuple[str, dt.date, dt.date]]:
    """The period as the tally rows that cover it exactly: the whole years inside it ("y", first
    year, last year), then the whole months ("m", first month, last month) and the days at its
    ends ("d", first day, last day). Without years, months and days only (a monthly trend)."""
    if years:
        first = (
            period.start
            if (period.start.month, period.start.day) == (1, 1)
            else dt.date(period.start.year + 1, 1, 1)
        )
        stop = dt.date((period.end + dt.timedelta(days=1)).year, 1, 1)
        if first < stop:
            parts: list[tuple[str, dt.date, dt.date]] = []
            if period.start < first:
                parts += _months_and_days(period.start, first - dt.timedelta(days=1))
            parts.append(("y", first, dt.date(stop.year - 1, 1, 1)))
            if stop <= period.end:
                parts += _months_and_days(stop, period.end)
            return parts
    return _months_and_days(period.start, period.end)


def _months_and_days(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    parts: list[tuple[str, dt.date, dt.date]] = []
    first_full = start if start.day == 1 else _next_month(start)
    end_full = (end + dt.timedelta(days=1)).replace(day=1)  # after the last full month
    if first_full >= end_full:
        return [("d", start, end)]
    if start < first_full:
        parts.append(("d", start, first_full - dt.timedelta(days=1)))
    parts.append(("m", first_full, (end_full - dt.timedelta(days=1)).replace(day=1)))
    if end_full <= end:
        parts.append(("d", end_full, end))
    return parts


def _period_q(period: Period, years: bool) -> Q:
    q = Q(pk__in=[])
    for grain, first, last in period_parts(period, years=years):
        q |= Q(grain=grain, start__gte=first, start__lte=last)
    return q


def _top_codes() -> dict[int, str]:
    """Each category's top-level code (the figures count a category with its children)."""
    rows = Category.objects.values_list("pk", "code", "parent__code")
    return {pk: parent or code for pk, code, parent in rows}


def _rows(
    path: str, period: Period, dims: tuple[str, ...], *, years: bool = True
) -> Iterator[tuple[tuple[object, ...], Counts]]:
    """Summed counters under `path` in the period, grouped by `dims` (of "category_id", "area",
    "start"; grouped by "start", pass years=False: a year row has no month). From the tallies
    where the place is an area or above it; below, from its matters through the same
    definitions (a building has few)."""
    if len(path) <= AREA_LEN:
        rows = (
            Tally.objects.filter(subtree_q(path, "area"))
            .filter(_period_q(period, years))
            .order_by()
            .values(*dims)
            .annotate(**{f"sum_{c}": Sum(c) for c in COUNTERS})
        )
        for row in rows:
            yield tuple(row[d] for d in dims), {c: row[f"sum_{c}"] or 0 for c in COUNTERS}
        return
    start, end = period.moments()
    cases = Case.objects.filter(subtree_q(path, "place_path")).filter(
        Q(reported_at__gte=start, reported_at__lt=end)
        | Q(resolved_at__gte=start, resolved_at__lt=end)
    )
    counted = difference((None, facts_of(c)) for c in cases.only(*FACT_FIELDS))
    for (grain, day, area, category_id), counts in counted.items():
        if grain == "d" and period.start <= day <= period.end:
            values = {"category_id": category_id, "area": area, "start": day}
            yield tuple(values[d] for d in dims), {c: counts.get(c, 0) for c in COUNTERS}


def _add(into: Counts, counts: Counts) -> None:
    for name, n in counts.items():
        into[name] = into.get(name, 0) + n


def by_category(path: str, period: Period) -> dict[str, Counts]:
    """Counters per top-level category code."""
    tops = _top_codes()
    out: dict[str, Counts] = defaultdict(dict)
    for (category_id,), counts in _rows(path, period, ("category_id",)):
        _add(out[tops[int(str(category_id))]], counts)
    return dict(out)


def by_month(path: str, period: Period) -> dict[dt.date, Counts]:
    """Counters per month (the first day of each), in order."""
    out: dict[dt.date, Counts] = defaultdict(dict)
    for (start,), counts in _rows(path, period, ("start",), years=False):
        assert isinstance(start, dt.date)
        _add(out[start.replace(day=1)], counts)
    return dict(sorted(out.items()))


def by_child_area(path: str, period: Period) -> dict[str, Counts]:
    """Counters per place one level below `path` (a subdistrict's communities side by side),
    keyed by the child's path; matters placed at `path` itself are under `path`."""
    depth = len(path) + STEP_LEN
    out: dict[str, Counts] = defaultdict(dict)
    for (area,), counts in _rows(path, period, ("area",)):
        _add(out[str(area)[:depth]], counts)
    return dict(out)


def total(counts: Iterable[Counts]) -> Counts:
    out: Counts = {}
    for one in counts:
        _add(out, one)
    return out


@dataclass(frozen=True)
class Rates:
    on_the_spot: Rate
    within_community: Rate
    within_subdistrict: Rate
    never_escalated_out: Rate
    on_time: Rate
    satisfaction: Rate


def rates(counts: Counts) -> Rates:
    """The tier metrics of 小事不出社区、大事不出街道、矛盾不上交 from summed counters, with the
    definitions of cases/metrics.py: settled at tiers 1-2, <= 3, <= 4 of the settled; never
    beyond the subdistrict of the counted; on time of those with a deadline; satisfied of those
    followed up."""
    settled = counts.get("settled", 0)

    def within(top: int) -> Rate:
        return Rate(sum(counts.get(f"settled_{t}", 0) for t in range(1, top + 1)), settled)

    return Rates(
        on_the_spot=within(2),
        within_community=within(3),
        within_subdistrict=within(4),
        never_escalated_out=Rate(counts.get("never_beyond", 0), counts.get("counted", 0)),
        on_time=Rate(counts.get("on_time", 0), counts.get("on_time_known", 0)),
        satisfaction=Rate(counts.get("satisfied", 0), counts.get("followed_up", 0)),
    )


@dataclass(frozen=True)
class Leaders:
    teams: int
    leaders: int
    party_members: int


def leaders(path: str, on: dt.date) -> Leaders:
    """The building leaders (楼长) holding a post under `path` on a day (each person once), the
    party members among them, and the leader teams of the place active that day."""
    active = Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    posts = Post.objects.filter(active, subtree_q(path, "place__path"), role__in=LEADER_ROLES)
    people = posts.values("person_id").distinct()
    teams = Team.objects.filter(subtree_q(path, "place__path"), kind=TeamKind.LEADER_TEAM).filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=on),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on),
    )
    return Leaders(
        teams=teams.count(),
        leaders=people.count(),
        party_members=posts.filter(person__party_member=True)
        .values("person_id")
        .distinct()
        .count(),
    )


@dataclass(frozen=True)
class Figures:
    """Everything the work report and the overviews say of a place and period."""

    path: str
    period: Period
    categories: dict[str, Counts]
    overall: Counts
    rates: Rates
    leaders: Leaders
    # Stairwells whose elevator entered service in the period, and their estates (each once).
    elevators: tuple[int, int] = (0, 0)


def figures(path: str, period: Period) -> Figures:
    categories = by_category(path, period)
    overall = total(categories.values())
    return Figures(
        path=path,
        period=period,
        categories=categories,
        overall=overall,
        rates=rates(overall),
        leaders=leaders(path, period.end),
        elevators=in_service_counts(path, period.start, period.end),
    )
