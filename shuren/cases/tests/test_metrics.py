"""Tier metrics: exact rates, empty denominators, and properties over any set of cases."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuren.cases.actions import escalate_case, follow_up_case, reject_case, resolve_case
from shuren.cases.metrics import CaseFacts, Rate, case_facts, tier_metrics
from shuren.cases.models import Case
from shuren.cases.tests.conftest import sh


def settled(tier: int, **extra) -> CaseFacts:
    return CaseFacts(status="closed", settled_tier=tier, max_tier=tier, **extra)


def test_no_cases_means_no_rates_not_zero():
    metrics = tier_metrics([])
    assert metrics.counted == metrics.settled == 0
    for rate in (
        metrics.on_the_spot,
        metrics.within_community,
        metrics.within_subdistrict,
        metrics.never_beyond,
        metrics.on_time,
        metrics.satisfaction,
    ):
        assert rate.value is None
        assert rate.percent() is None


def test_the_ladder_rates_are_exact_fractions():
    cases = [settled(1), settled(2), settled(2), settled(3), settled(4), settled(5)]
    metrics = tier_metrics(cases)
    assert metrics.settled == 6
    assert metrics.settled_by_tier == {1: 1, 2: 2, 3: 1, 4: 1, 5: 1}
    assert metrics.on_the_spot.value == Fraction(1, 2)
    assert metrics.within_community.value == Fraction(2, 3)
    assert metrics.within_subdistrict.value == Fraction(5, 6)
    assert metrics.never_beyond.value == Fraction(5, 6)
    assert metrics.within_community.percent() == Decimal("66.7")
    assert metrics.within_subdistrict.percent(2) == Decimal("83.33")


def test_open_cases_count_for_never_beyond_but_not_for_settlement():
    cases = [
        settled(1),
        CaseFacts(status="in_progress", settled_tier=None, max_tier=3),
        CaseFacts(status="accepted", settled_tier=None, max_tier=5),
    ]
    metrics = tier_metrics(cases)
    assert (metrics.counted, metrics.settled) == (3, 1)
    assert metrics.on_the_spot == Rate(1, 1)
    assert metrics.never_beyond == Rate(2, 3)


def test_rejected_and_merged_cases_are_not_matters():
    cases = [
        settled(1),
        CaseFacts(status="rejected", settled_tier=None, max_tier=3),
        CaseFacts(status="merged", settled_tier=None, max_tier=5),
    ]
    assert tier_metrics(cases).counted == 1
    assert tier_metrics(cases).never_beyond == Rate(1, 1)


def test_on_time_and_satisfaction_count_only_what_is_known():
    cases = [
        settled(1, resolved_on_time=True, satisfied=True),
        settled(1, resolved_on_time=False, satisfied=False),
        settled(2, resolved_on_time=True, satisfied=None),
        CaseFacts(status="reported", settled_tier=None, max_tier=1),
    ]
    metrics = tier_metrics(cases)
    assert metrics.on_time == Rate(2, 3)
    assert metrics.satisfaction == Rate(1, 2)
    assert metrics.satisfaction.percent() == Decimal("50.0")


def test_half_rounds_up_for_display():
    assert Rate(1, 8).percent(1) == Decimal("12.5")
    assert Rate(1, 16).percent(1) == Decimal("6.3")  # 6.25


@pytest.mark.parametrize("bad", [0, 6, None])
def test_a_max_tier_outside_the_ladder_is_an_error(bad):
    with pytest.raises(ValueError, match="max_tier"):
        tier_metrics([CaseFacts(status="reported", settled_tier=None, max_tier=bad)])


def test_a_settled_tier_outside_the_ladder_is_an_error():
    with pytest.raises(ValueError, match="settled_tier"):
        tier_metrics([CaseFacts(status="closed", settled_tier=7, max_tier=5)])


STATUSES = st.sampled_from(
    [
        "reported",
        "accepted",
        "in_progress",
        "resolved",
        "followed_up",
        "closed",
        "rejected",
        "merged",
    ]
)


@st.composite
def facts(draw) -> CaseFacts:
    status = draw(STATUSES)
    max_tier = draw(st.integers(1, 5))
    is_settled = status in {"resolved", "followed_up", "closed"}
    return CaseFacts(
        status=status,
        settled_tier=draw(st.integers(1, max_tier)) if is_settled else None,
        max_tier=max_tier,
        resolved_on_time=draw(st.none() | st.booleans()),
        satisfied=draw(st.none() | st.booleans()),
    )


@given(st.lists(facts(), max_size=60))
def test_every_rate_lies_between_0_and_1(cases):
    metrics = tier_metrics(cases)
    for rate in (
        metrics.on_the_spot,
        metrics.within_community,
        metrics.within_subdistrict,
        metrics.never_beyond,
        metrics.on_time,
        metrics.satisfaction,
    ):
        assert 0 <= rate.numerator <= rate.denominator
        assert rate.value is None or 0 <= rate.value <= 1


@given(st.lists(facts(), min_size=1, max_size=60))
def test_the_ladder_is_monotone(cases):
    metrics = tier_metrics(cases)
    if metrics.settled:
        assert metrics.on_the_spot.value <= metrics.within_community.value
        assert metrics.within_community.value <= metrics.within_subdistrict.value
        assert metrics.within_subdistrict.value <= 1
    else:
        assert metrics.on_the_spot.value is None


@given(st.lists(facts(), max_size=40), st.lists(facts(), max_size=40))
def test_counts_add_up_over_a_union(left, right):
    both = tier_metrics(left + right)
    a, b = tier_metrics(left), tier_metrics(right)
    assert both.counted == a.counted + b.counted
    assert both.settled == a.settled + b.settled
    assert both.on_the_spot.numerator == a.on_the_spot.numerator + b.on_the_spot.numerator
    assert both.satisfaction.denominator == a.satisfaction.denominator + b.satisfaction.denominator


@given(st.lists(facts(), max_size=40), st.randoms())
def test_order_does_not_matter(cases, random):
    shuffled = list(cases)
    random.shuffle(shuffled)
    assert tier_metrics(shuffled) == tier_metrics(cases)


def test_facts_read_from_the_database_match_the_cases(world, report):
    leader, shequ = world.user("demo-louzhang"), world.user("demo-shequ")
    on_spot = resolve_case(
        actor=leader, case=report(), method="on_the_spot", summary="好了", at=sh(2026, 3, 2, 12)
    )
    follow_up_case(actor=world.user("demo-resident"), case=on_spot, satisfied=True)
    late = escalate_case(actor=leader, case=report(), reason="r", to_tier=3)
    resolve_case(
        actor=shequ, case=late, method="mediation", summary="调解成功", at=sh(2026, 6, 1, 10)
    )
    reject_case(actor=shequ, case=report(), reason="不属实")
    report()  # still open

    metrics = tier_metrics(case_facts(Case.objects.all()))
    assert (metrics.counted, metrics.settled) == (3, 2)
    assert metrics.settled_by_tier == {1: 1, 2: 0, 3: 1, 4: 0, 5: 0}
    assert metrics.on_the_spot == Rate(1, 2)
    assert metrics.within_community == Rate(2, 2)
    assert metrics.on_time == Rate(1, 2)
    assert metrics.satisfaction == Rate(1, 1)
