"""Keeps the rollup of matters exact: what one matter adds to the tallies (a pure function of
its facts), the keeper every case action hands its before and after to (one upsert statement
in the action's transaction), and the recount from the matters that rebuilds and checks them.

Why a rollup: the work report and the overviews sum a few thousand rows of months and days
instead of scanning millions of matters (docs/performance.md, issue 11). Why exact: each
change is applied as the difference of two contributions, and `checkrollups` recounts."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.functions import Substr

from shuren.cases.models import SETTLED_STATUSES, Case
from shuren.insights.models import COUNTERS, Tally
from shuren.places.paths import STEP_LEN, subtree_q
from shuren.workdays.calendar import SHANGHAI

# The area of a matter: its place's path cut at the estate, lane or street level (depth 3).
AREA_DEPTH = 3
AREA_LEN = AREA_DEPTH * STEP_LEN
BATCH = 500  # rows per upsert statement
GRAINS = ("d", "m", "y")
NOT_COUNTED = frozenset({"rejected", "merged"})
SETTLED = frozenset(str(s) for s in SETTLED_STATUSES)
FACT_FIELDS = (
    "category_id",
    "place_path",
    "reported_at",
    "status",
    "max_tier",
    "settled_tier",
    "resolved_at",
    "resolve_due",
    "satisfied",
)
Key = tuple[str, dt.date, str, int]  # grain, start, area, category


@dataclass(frozen=True)
class Facts:
    """What the tallies read of a matter."""

    category_id: int
    place_path: str
    reported_at: dt.datetime
    status: str
    max_tier: int
    settled_tier: int | None
    resolved_at: dt.datetime | None
    resolve_due: dt.datetime | None
    satisfied: bool | None


def area_of(path: str) -> str:
    return path[:AREA_LEN]


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SHANGHAI).date()


def _keys(day: dt.date, area: str, category_id: int) -> tuple[Key, Key, Key]:
    return (
        ("d", day, area, category_id),
        ("m", day.replace(day=1), area, category_id),
        ("y", day.replace(month=1, day=1), area, category_id),
    )


def contributions(facts: Facts) -> dict[Key, Counter[str]]:
    """The counters one matter adds, by day and by month: on the day it was reported, and, once
    settled, on the day it was settled. The definitions are the ones the work report shows."""
    out: dict[Key, Counter[str]] = {}
    area = area_of(facts.place_path)
    reported: Counter[str] = Counter(reported=1)
    if facts.status in NOT_COUNTED:
        reported[facts.status] += 1
    else:
        reported["counted"] += 1
        reported[f"reached_{facts.max_tier}"] += 1
        reported[f"status_{facts.status}"] += 1
        if facts.max_tier < 5:
            reported["never_beyond"] += 1
        if facts.status not in SETTLED:
            reported["open"] += 1
    for key in _keys(local_day(facts.reported_at), area, facts.category_id):
        out[key] = reported
    if facts.status in SETTLED and facts.settled_tier and facts.resolved_at is not None:
        resolved_day = local_day(facts.resolved_at)
        settled: Counter[str] = Counter(settled=1)
        settled[f"settled_{facts.settled_tier}"] += 1
        if facts.resolve_due is not None:
            settled["on_time_known"] += 1
            if facts.resolved_at <= facts.resolve_due:
                settled["on_time"] += 1
        if facts.satisfied is not None:
            settled["followed_up"] += 1
            if facts.satisfied:
                settled["satisfied"] += 1
        days = (resolved_day - local_day(facts.reported_at)).days
        if days:
            settled["days_taken"] += days
        for key in _keys(resolved_day, area, facts.category_id):
            out[key] = out[key] + settled if key in out else settled
    return out


def difference(changes: Iterable[tuple[Facts | None, Facts | None]]) -> dict[Key, dict[str, int]]:
    """What a set of changes adds to each row (negative where a matter left it); zero rows go."""
    delta: dict[Key, dict[str, int]] = defaultdict(dict)
    for before, after in changes:
        for sign, facts in ((-1, before), (1, after)):
            if facts is None:
                continue
            for key, counts in contributions(facts).items():
                row = delta[key]
                for name, n in counts.items():
                    row[name] = row.get(name, 0) + sign * n
    return {
        key: {name: n for name, n in row.items() if n}
        for key, row in delta.items()
        if any(row.values())
    }


def facts_of(case: Case) -> Facts:
    return Facts(*(getattr(case, name) for name in FACT_FIELDS))


class CaseKeeper:
    """Registered with the kernel (apps.py): every case action's changes reach the tallies."""

    def facts(self, row: Any) -> Facts:
        return facts_of(row)

    def apply(self, changes: list[tuple[Any, Any]]) -> None:
        add(difference(changes))


KEEPER = CaseKeeper()


def add(delta: dict[Key, dict[str, int]]) -> None:
    """Add counters to their rows in one statement: an upsert both databases understand."""
    if not delta:
        return
    table = Tally._meta.db_table
    columns = ", ".join(COUNTERS)
    row = "(" + ", ".join(["%s"] * (4 + len(COUNTERS))) + ")"
    sums = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COUNTERS)
    keys = sorted(delta)
    with connection.cursor() as cursor:
        # In batches: SQLite takes at most 32,766 parameters in one statement.
        for at in range(0, len(keys), BATCH):
            batch = keys[at : at + BATCH]
            params: list[Any] = []
            for key in batch:
                counts = delta[key]
                params += [*key, *(counts.get(c, 0) for c in COUNTERS)]
            cursor.execute(
                f"INSERT INTO {table} (grain, start, area, category_id, {columns}) "  # noqa: S608
                f"VALUES {', '.join([row] * len(batch))} "
                f"ON CONFLICT (grain, start, area, category_id) DO UPDATE SET {sums}",
                params,
            )


def _facts(cases: Any) -> Iterator[Facts]:
    for values in cases.values_list(*FACT_FIELDS).iterator(chunk_size=5000):
        yield Facts(*values)


def recount(cases: Any = None) -> dict[Key, dict[str, int]]:
    """The tallies counted afresh from the matters (all, or a queryset of them)."""
    return difference(
        (None, facts) for facts in _facts(Case.objects.all() if cases is None else cases)
    )


def stored(tallies: Any = None) -> dict[Key, dict[str, int]]:
    """The tallies as stored, without rows whose counters are all zero."""
    rows = (Tally.objects.all() if tallies is None else tallies).values_list(
        "grain", "start", "area", "category_id", *COUNTERS
    )
    out = {}
    for grain, start, area, category_id, *counts in rows.iterator(chunk_size=5000):
        kept = {name: n for name, n in zip(COUNTERS, counts, strict=True) if n}
        if kept:
            out[(grain, start, area, category_id)] = kept
    return out


def _areas() -> list[str]:
    """Every area that holds matters or tallies."""
    cut = Substr("place_path", 1, AREA_LEN)
    held = Case.objects.annotate(area=cut).values_list("area", flat=True).distinct()
    return sorted(set(held) | set(Tally.objects.values_list("area", flat=True).distinct()))


def _in_area(area: str) -> tuple[Q, Q]:
    """The matters of one area and its tally rows: an estate's subtree, or the matters placed
    at a community (or above) itself, whose area is their own path."""
    # Every grain named, so PostgreSQL reads the rows through the (grain, area, start) index
    # instead of scanning it whole for each area (check() at 1 M: 364 s, against 144 s).
    rows = Q(grain__in=GRAINS, area=area)
    if len(area) < AREA_LEN:
        return Q(place_path=area), rows
    return subtree_q(area, "place_path"), rows


def _write(counted: dict[Key, dict[str, int]]) -> None:
    Tally.objects.bulk_create(
        (
            Tally(grain=grain, start=start, area=area, category_id=category_id, **counts)
            for (grain, start, area, category_id), counts in counted.items()
        ),
        batch_size=2000,
    )


def rebuild(prefixes: Iterable[str] | None = None) -> int:
    """Count the tallies again from the matters (everywhere, or under the given areas), one
    area at a time so memory holds one area's rows (`checkrollups --fix`, a moved subtree).
    Returns the rows written."""
    written = 0
    with transaction.atomic():
        if prefixes is None:
            for area in _areas():
                cases, rows = _in_area(area)
                Tally.objects.filter(rows).delete()
                counted = recount(Case.objects.filter(cases))
                _write(counted)
                written += len(counted)
            return written
        for prefix in prefixes:
            Tally.objects.filter(subtree_q(prefix, "area")).delete()
            counted = recount(Case.objects.filter(subtree_q(prefix, "place_path")))
            _write(counted)
            written += len(counted)
        return written


def recount_areas(prefixes: Iterable[str]) -> None:
    """After a subtree moved: the areas it left and joined are counted again."""
    rebuild(sorted({area_of(p) for p in prefixes}))


@dataclass(frozen=True)
class Mismatch:
    key: Key
    stored: dict[str, int]
    counted: dict[str, int]


def check() -> list[Mismatch]:
    """Every row where the stored tallies differ from a recount (none when they are exact),
    compared one area at a time."""
    wrong: list[Mismatch] = []
    for area in _areas():
        cases, rows = _in_area(area)
        counted, kept = recount(Case.objects.filter(cases)), stored(Tally.objects.filter(rows))
        wrong += [
            Mismatch(key, kept.get(key, {}), counted.get(key, {}))
            for key in sorted(counted.keys() | kept.keys())
            if kept.get(key, {}) != counted.get(key, {})
        ]
    return wrong


def records_q(counter: str, start: dt.datetime, end: dt.datetime) -> Q:
    """The matters a counter counts for the moments [start, end): the same definitions as
    contributions(), as a condition on Case, so every figure links to its records."""
    reported_in = Q(reported_at__gte=start, reported_at__lt=end)
    counted = reported_in & ~Q(status__in=NOT_COUNTED)
    settled = Q(
        status__in=SETTLED, settled_tier__isnull=False, resolved_at__gte=start, resolved_at__lt=end
    )
    conditions: dict[str, Q] = {
        "reported": reported_in,
        "counted": counted,
        "rejected": reported_in & Q(status="rejected"),
        "merged": reported_in & Q(status="merged"),
        "open": counted & ~Q(status__in=SETTLED),
        "never_beyond": counted & Q(max_tier__lt=5),
        "settled": settled,
        "on_time_known": settled & Q(resolve_due__isnull=False),
        "on_time": settled & Q(resolve_due__gte=F("resolved_at")),
        "followed_up": settled & Q(satisfied__isnull=False),
        "satisfied": settled & Q(satisfied=True),
    }
    for tier in range(1, 6):
        conditions[f"reached_{tier}"] = counted & Q(max_tier=tier)
        conditions[f"settled_{tier}"] = settled & Q(settled_tier=tier)
    for status in ("reported", "accepted", "in_progress", "resolved", "followed_up", "closed"):
        conditions[f"status_{status}"] = counted & Q(status=status)
    if counter not in conditions:
        raise KeyError(counter)
    return conditions[counter]


# The counters whose records can be listed (days_taken is a sum of days, not a set of matters).
LISTED = frozenset(c for c in COUNTERS if c != "days_taken")
