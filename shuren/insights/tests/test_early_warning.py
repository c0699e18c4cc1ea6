"""The early-warning rules (issue 11, item 4) as pure functions: worked cases and properties."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuren.insights.early_warning import (
    hotspots,
    poisson_tail,
    repeat_parties,
    risky_words,
    risky_words_in,
    surge,
)

NOW = dt.datetime(2026, 3, 30, 12, 0, tzinfo=dt.UTC)
LEXICON = ["打人", "持刀", "跳楼", "自杀", "煤气", "纵火", "上访", "堵门"]


def days_ago(n: float) -> dt.datetime:
    return NOW - dt.timedelta(days=n)


# --- the Poisson tail ---------------------------------------------------------------------------


def test_the_tail_matches_one_minus_the_cdf_where_both_are_exact():
    for lam in (0.5, 2.0, 7.5):
        for k in range(12):
            cdf = sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(k))
            assert poisson_tail(k, lam) == pytest.approx(1 - cdf, abs=1e-12)


def test_the_tail_of_nothing_and_from_nothing():
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(1, 0.0) == 0.0
    assert poisson_tail(0, 0.0) == 1.0


def test_a_city_scale_rate_neither_underflows_nor_overflows():
    # Mean 800, sd about 28: at least 790 is a little over even odds; at least 950 is rare.
    assert poisson_tail(790, 800.0) == pytest.approx(0.63, abs=0.02)
    assert 0 < poisson_tail(950, 800.0) < 1e-6


def test_a_tiny_tail_is_still_a_number_not_zero():
    # 1 - cdf would round to 0; summing upwards keeps it.
    assert 0 < poisson_tail(40, 2.0) < 1e-25


@given(st.integers(0, 3000), st.floats(0.01, 2000))
def test_the_tail_falls_as_the_count_grows(k, lam):
    assert poisson_tail(k + 1, lam) <= poisson_tail(k, lam) + 1e-12


@given(st.integers(1, 3000), st.floats(0.01, 2000), st.floats(0.01, 10))
def test_the_tail_rises_with_the_rate(k, lam, more):
    assert poisson_tail(k, lam + more) >= poisson_tail(k, lam) - 1e-12


# --- surges -------------------------------------------------------------------------------------


def test_twelve_disputes_after_eight_weeks_of_about_two_is_a_surge():
    result = surge(12, [2, 1, 3, 2, 2, 1, 2, 3])
    assert result.is_surge
    assert result.expected == 2.0
    assert result.p_value < 1e-5


def test_four_after_about_two_is_ordinary_variation():
    assert not surge(4, [2, 1, 3, 2, 2, 1, 2, 3]).is_surge


def test_one_or_two_matters_are_never_a_surge_even_from_nothing():
    assert not surge(2, [0] * 8).is_surge
    assert surge(3, [0] * 8).is_surge  # three where there were none for eight weeks


def test_the_boundary_is_strictly_below_alpha():
    result = surge(5, [1] * 8)
    assert surge(5, [1] * 8, alpha=result.p_value).is_surge is False
    assert surge(5, [1] * 8, alpha=result.p_value * 1.000001).is_surge is True


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="never negative"):
        surge(-1, [1] * 8)


weeks = st.lists(st.integers(0, 40), min_size=8, max_size=8)


@given(st.integers(0, 80), weeks, st.integers(1, 20))
def test_more_matters_this_week_never_end_a_surge(recent, baseline, more):
    if surge(recent, baseline).is_surge:
        assert surge(recent + more, baseline).is_surge


@given(st.integers(0, 80), weeks, st.integers(0, 7), st.integers(1, 20))
def test_a_busier_baseline_never_makes_a_surge(recent, baseline, week, more):
    busier = list(baseline)
    busier[week] += more
    if surge(recent, busier).is_surge:
        assert surge(recent, baseline).is_surge


@given(weeks)
def test_a_week_like_the_baseline_mean_is_never_a_surge(baseline):
    assert not surge(round(sum(baseline) / 8), baseline).is_surge


# --- hotspots and repeat parties ----------------------------------------------------------------


def test_three_disputes_in_one_building_within_thirty_days_is_a_hotspot():
    disputes = [("1栋", days_ago(1)), ("1栋", days_ago(10)), ("1栋", days_ago(29))]
    disputes += [("2栋", days_ago(2)), ("2栋", days_ago(3)), ("2栋", days_ago(31))]
    assert hotspots(disputes, now=NOW) == {"1栋": 3}


def test_a_dispute_exactly_thirty_days_old_has_left_the_window():
    disputes = [("1栋", days_ago(1)), ("1栋", days_ago(2)), ("1栋", days_ago(30))]
    assert hotspots(disputes, now=NOW) == {}


def test_the_same_persons_in_three_disputes_within_ninety_days():
    disputes = [
        (1, days_ago(5), ["王", "陈"]),
        (2, days_ago(40), ["王", "赵"]),
        (3, days_ago(89), ["王", "王"]),  # named twice in one matter counts once
        (4, days_ago(95), ["陈", "赵"]),
    ]
    assert repeat_parties(disputes, now=NOW) == {"王": [1, 2, 3]}


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.floats(0, 60)),
        max_size=30,
    )
)
def test_a_hotspot_count_is_exactly_the_disputes_in_the_window(items):
    disputes = [(building, days_ago(age)) for building, age in items]
    found = hotspots(disputes, now=NOW)
    for building, count in found.items():
        assert count == sum(1 for b, age in items if b == building and 0 <= age < 30)
        assert count >= 3


# --- risky words --------------------------------------------------------------------------------


def test_risky_words_are_shown_once_each_in_order():
    assert risky_words(["他", "持刀", "还", "打人", "持刀"], LEXICON) == ["持刀", "打人"]


def test_risky_words_are_found_on_jiebas_words_in_the_order_they_appear():
    text = "楼上邻居持刀威胁，煤气味很重，有人堵门，扬言去上访"
    assert risky_words_in(text, LEXICON) == ["持刀", "煤气", "堵门", "上访"]


def test_a_word_that_lost_the_segmentation_is_still_found():
    # jieba cuts 煤气味 as 煤 / 气味; the gas is there all the same.
    assert risky_words_in("煤气味很重", ["煤气"]) == ["煤气"]
    assert risky_words_in("楼道里气味很重", ["煤气"]) == []


def test_a_text_without_any_risky_word_raises_nothing():
    assert risky_words_in("小区大门坏了，请尽快维修。", LEXICON) == []
