"""The tier metrics of 小事不出社区、大事不出街道、矛盾不上交: one pure function over plain facts.

Definitions (DESIGN.md §3):
- counted: every case except rejected ones (not a matter) and merged ones (a duplicate);
- on the spot: settled at tier 1-2, of the settled cases;
- within the community: settled at tier <= 3, of the settled cases;
- within the subdistrict: settled at tier <= 4, of the settled cases;
- never beyond: never reached tier 5, of the counted cases (open ones included);
- on time: resolved by the resolve deadline, of the counted cases whose on-time is known;
- satisfaction: satisfied at follow-up, of the counted cases followed up.
A rate with nothing to count has no value (None), never 0 and never a division error.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

SETTLED = frozenset({"resolved", "followed_up", "closed"})
NOT_COUNTED = frozenset({"rejected", "merged"})
TIERS = range(1, 6)


@dataclass(frozen=True)
class CaseFacts:
    status: str
    settled_tier: int | None
    max_tier: int
    resolved_on_time: bool | None = None
    satisfied: bool | None = None


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> Fraction | None:
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    def percent(self, places: int = 1) -> Decimal | None:
        """The rate in per cent, rounded half up (for display: 83.3)."""
        if self.value is None:
            return None
        exact = Decimal(self.numerator * 100) / Decimal(self.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class TierMetrics:
    counted: int
    settled: int
    settled_by_tier: dict[int, int]
    on_the_spot: Rate
    within_community: Rate
    within_subdistrict: Rate
    never_beyond: Rate
    on_time: Rate
    satisfaction: Rate


def tier_metrics(cases: Iterable[CaseFacts]) -> TierMetrics:
    counted = 0
    by_tier = dict.fromkeys(TIERS, 0)
    never_beyond = on_time = on_time_known = satisfied = followed_up = 0
    for case in cases:
        if case.status in NOT_COUNTED:
            continue
        if case.max_tier not in TIERS:
            raise ValueError(f"max_tier must be 1-5, not {case.max_tier!r}")
        counted += 1
        never_beyond += case.max_tier < 5
        if case.status in SETTLED and case.settled_tier is not None:
            if case.settled_tier not in TIERS:
                raise ValueError(f"settled_tier must be 1-5, not {case.settled_tier!r}")
            by_tier[case.settled_tier] += 1
        if case.resolved_on_time is not None:
            on_time_known += 1
            on_time += case.resolved_on_time
        if case.satisfied is not None:
            followed_up += 1
            satisfied += case.satisfied
    settled = sum(by_tier.values())

    def settled_within(top: int) -> Rate:
        return Rate(sum(n for tier, n in by_tier.items() if tier <= top), settled)

    return TierMetrics(
        counted=counted,
        settled=settled,
        settled_by_tier=by_tier,
        on_the_spot=settled_within(2),
        within_community=settled_within(3),
        within_subdistrict=settled_within(4),
        never_beyond=Rate(never_beyond, counted),
        on_time=Rate(on_time, on_time_known),
        satisfaction=Rate(satisfied, followed_up),
    )


def case_facts(cases: Any) -> Iterator[CaseFacts]:
    """The facts of each case in a queryset, read in one query without building models."""
    rows = cases.values_list(
        "status", "settled_tier", "max_tier", "resolved_at", "resolve_due", "satisfied"
    )
    for status, settled_tier, max_tier, resolved_at, resolve_due, satisfied in rows.iterator(
        chunk_size=2000
    ):
        on_time = None if resolved_at is None or resolve_due is None else resolved_at <= resolve_due
        yield CaseFacts(
            status=status,
            settled_tier=settled_tier,
            max_tier=max_tier,
            resolved_on_time=on_time,
            satisfied=satisfied,
        )
