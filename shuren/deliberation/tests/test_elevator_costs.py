"""Sharing an elevator's cost by floor: every flat's share is to the fen, the shares always sum
exactly to the total, higher floors (with higher weights) never pay less, and the floor of a
flat is read from its room number when the register has none."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shuren.deliberation.elevators.costs import CostError, floor_of, share_costs
from shuren.deliberation.elevators.law import Facts, blockers, next_stage, notice_window

totals = st.integers(min_value=0, max_value=10**10).map(lambda fen: Decimal(fen) / 100)
weights = st.integers(min_value=0, max_value=5000).map(lambda w: Decimal(w) / 1000)


@st.composite
def stairwells(draw):
    floors = draw(st.integers(min_value=1, max_value=12))
    per_floor = draw(st.integers(min_value=1, max_value=4))
    by_floor = {f: [f * 100 + k for k in range(per_floor)] for f in range(1, floors + 1)}
    w = {f: draw(weights) for f in by_floor}
    if not any(w.values()):
        w[floors] = Decimal(1)
    return by_floor, w


@given(totals, stairwells())
def test_the_shares_sum_exactly_to_the_total_and_are_in_fen(total, stairwell):
    by_floor, w = stairwell
    shares = share_costs(total, by_floor, w)
    assert sum(shares.values()) == total
    assert set(shares) == {h for ids in by_floor.values() for h in ids}
    assert all(s == s.quantize(Decimal("0.01")) and s >= 0 for s in shares.values())


@given(totals, stairwells())
def test_a_heavier_floor_never_pays_less_than_a_lighter_one_by_more_than_a_fen(total, stairwell):
    by_floor, w = stairwell
    shares = share_costs(total, by_floor, w)
    for f, ids in by_floor.items():
        for g, others in by_floor.items():
            if w[f] > w[g]:
                assert min(shares[h] for h in ids) >= max(shares[h] for h in others) - Decimal(
                    "0.01"
                )


def test_a_seven_storey_stairwell_pays_by_the_agreed_weights():
    by_floor = {f: [f * 10 + 1, f * 10 + 2] for f in range(1, 8)}
    w = {1: Decimal(0), 2: Decimal(1), 3: Decimal("1.2"), 4: Decimal("1.4")}
    w |= {5: Decimal("1.6"), 6: Decimal("1.8"), 7: Decimal(2)}
    shares = share_costs(Decimal("600000.00"), by_floor, w)
    assert shares[11] == shares[12] == Decimal("0.00")
    assert shares[71] == Decimal("66666.67") or shares[72] == Decimal("66666.67")
    assert sum(shares.values()) == Decimal("600000.00")


def test_leftover_fen_go_to_the_largest_remainders_and_ties_to_the_higher_floor():
    shares = share_costs(
        Decimal("1.00"), {1: [1], 2: [2], 3: [3]}, {f: Decimal(1) for f in (1, 2, 3)}
    )
    assert shares == {1: Decimal("0.33"), 2: Decimal("0.33"), 3: Decimal("0.34")}


def test_a_floor_without_a_weight_is_named():
    with pytest.raises(CostError) as refused:
        share_costs(Decimal(100), {1: [1], 2: [2], 5: [5]}, {1: Decimal(1)})
    assert refused.value.code == "weight_missing"
    assert refused.value.floors == (2, 5)


@pytest.mark.parametrize(("total", "code"), [(Decimal("-1"), "total"), (Decimal("1.001"), "total")])
def test_a_total_below_zero_or_finer_than_a_fen_is_refused(total, code):
    with pytest.raises(CostError) as refused:
        share_costs(total, {1: [1]}, {1: Decimal(1)})
    assert refused.value.code == code


def test_weights_all_zero_are_refused():
    with pytest.raises(CostError) as refused:
        share_costs(Decimal(10), {1: [1]}, {1: Decimal(0)})
    assert refused.value.code == "weights_zero"


@pytest.mark.parametrize(
    ("room", "floor", "expected"),
    [
        ("101", None, 1),
        ("0801", None, 8),
        ("1203", None, 12),
        ("3号", None, None),
        ("12", None, None),
        ("x", 4, 4),
    ],
)
def test_the_floor_comes_from_the_register_or_the_room_number(room, floor, expected):
    assert floor_of(room, floor) == expected


def _facts(**extra):
    import datetime as dt

    values = {
        "stage": "vote",
        "surveyed": True,
        "vote_passed": True,
        "consents_pending": 0,
        "consents_refused": 0,
        "today": dt.date(2026, 5, 1),
        "notice_ends_on": None,
        "open_objections": 0,
        "costs_agreed": False,
    }
    values.update(extra)
    return Facts(**values)


def test_the_vote_stage_needs_the_vote_passed_and_every_affected_owner_consenting():
    assert blockers(_facts()) == []
    assert blockers(_facts(vote_passed=None)) == ["vote_not_counted"]
    assert blockers(_facts(vote_passed=False, consents_pending=1)) == [
        "vote_not_passed",
        "consent_pending",
    ]
    assert blockers(_facts(consents_refused=1)) == ["consent_refused"]


def test_the_notice_stage_waits_for_its_last_day_and_every_objection_settled():
    import datetime as dt

    _start, end = notice_window(dt.date(2026, 5, 1), 10)
    assert end == dt.date(2026, 5, 10)
    running = _facts(stage="notice", notice_ends_on=end, today=end)
    assert blockers(running) == ["notice_running"]
    after = _facts(stage="notice", notice_ends_on=end, today=end + dt.timedelta(days=1))
    assert blockers(after) == []
    assert blockers(
        _facts(stage="notice", notice_ends_on=end, today=dt.date(2026, 6, 1), open_objections=1)
    ) == ["objection_open"]


def test_construction_waits_for_the_costs_and_the_ladder_ends_in_service():
    assert blockers(_facts(stage="design")) == ["costs_missing"]
    assert blockers(_facts(stage="design", costs_agreed=True)) == []
    assert next_stage("acceptance") == "in_service"
    assert next_stage("in_service") is None
    assert blockers(_facts(stage="in_service")) == ["last_stage"]
