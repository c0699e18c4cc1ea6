"""The good-governance scorecard: each of the seven marks is a pure function of counts with its
rule (thresholds in one place), marks without records say "not yet recorded", and the ranking
is by marks met, ties sharing a place, whatever order the estates come in."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from shuren.cases.metrics import Rate
from shuren.insights.scorecard import MARKS, THRESHOLDS, State, UnitCounts, marks, rank

GOOD = UnitCounts(
    code="E1",
    name="金域蓝湾",
    party_groups=1,
    party_member_leaders=2,
    buildings=10,
    buildings_led=9,
    governance_teams=1,
    governance_teams_staffed=1,
    mutual_aid_teams=1,
    mutual_aid_members=5,
    has_company=True,
    company_settled=3,
    company_on_time=Rate(9, 10),
    company_satisfaction=Rate(9, 10),
)


def states(counts: UnitCounts) -> dict[str, State]:
    return {m.code: m.state for m in marks(counts)}


def test_an_estate_meeting_every_recorded_mark_meets_five_and_two_are_not_recorded():
    assert states(GOOD) == {
        "party": State.MET,
        "leaders": State.MET,
        "governance": State.MET,
        "consultation": State.NOT_RECORDED,
        "deliberation": State.NOT_RECORDED,
        "care": State.MET,
        "company": State.MET,
    }
    assert [m.code for m in marks(GOOD)] == [d.code for d in MARKS]


@pytest.mark.parametrize(
    ("change", "code", "state"),
    [
        ({"party_groups": 0}, "party", State.MET),  # a party-member leader is enough
        ({"party_groups": 0, "party_member_leaders": 0}, "party", State.NOT_MET),
        ({"buildings_led": 8}, "leaders", State.NOT_MET),  # 80% < 90%
        ({"buildings_led": 0, "buildings": 0}, "leaders", State.NOT_MET),
        ({"governance_teams": 2}, "governance", State.NOT_MET),  # one of two unstaffed
        ({"governance_teams": 0, "governance_teams_staffed": 0}, "governance", State.NOT_MET),
        ({"mutual_aid_members": 4}, "care", State.NOT_MET),
        ({"mutual_aid_teams": 0, "mutual_aid_members": 0}, "care", State.NOT_RECORDED),
        ({"has_company": False}, "company", State.NO_COMPANY),
        ({"company_settled": 2}, "company", State.NOT_MET),
        ({"company_on_time": Rate(8, 10)}, "company", State.NOT_MET),
        ({"company_satisfaction": Rate(0, 0)}, "company", State.NOT_MET),
    ],
)
def test_each_mark_follows_its_rule(change, code, state):
    assert states(dataclasses.replace(GOOD, **change))[code] == state


def test_the_rules_say_the_thresholds_they_apply():
    with translation.override("en"):
        rules = {d.code: str(d.rule) for d in MARKS}
    assert f"{int(THRESHOLDS.leader_share * 100)}%" in rules["leaders"]
    assert f"{THRESHOLDS.mutual_aid_members} or more" in rules["care"]
    assert f"at least {THRESHOLDS.company_min_settled}" in rules["company"]
    assert THRESHOLDS.company_on_time == THRESHOLDS.company_satisfaction == Fraction(9, 10)
    assert "90%" in rules["company"]


def test_consultation_and_deliberation_are_never_a_number():
    for mark in marks(GOOD)[3:5]:
        assert mark.state == State.NOT_RECORDED
        assert mark.numbers == ()
        assert not mark.met


def test_estates_rank_by_marks_met_and_ties_share_a_place():
    weak = dataclasses.replace(GOOD, code="E2", name="尖东新村", has_company=False)
    none = UnitCounts(code="E3", name="空")
    also_weak = dataclasses.replace(weak, code="E0")
    cards = rank([none, weak, GOOD, also_weak])
    assert [(c.unit.code, c.met, c.position) for c in cards] == [
        ("E1", 5, 1),
        ("E0", 4, 2),
        ("E2", 4, 2),
        ("E3", 0, 4),
    ]


units = st.builds(
    UnitCounts,
    code=st.text("ABCDE", min_size=1, max_size=3),
    name=st.just("x"),
    party_groups=st.integers(0, 2),
    party_member_leaders=st.integers(0, 3),
    buildings=st.integers(0, 12),
    buildings_led=st.integers(0, 12),
    governance_teams=st.integers(0, 2),
    governance_teams_staffed=st.integers(0, 2),
    mutual_aid_teams=st.integers(0, 2),
    mutual_aid_members=st.integers(0, 8),
    has_company=st.booleans(),
    company_settled=st.integers(0, 5),
    company_on_time=st.builds(Rate, st.integers(0, 5), st.integers(0, 5)),
    company_satisfaction=st.builds(Rate, st.integers(0, 5), st.integers(0, 5)),
)


@given(st.lists(units, max_size=8, unique_by=lambda u: u.code), st.randoms())
def test_the_ranking_does_not_depend_on_the_order_given(given_units, random):
    shuffled = list(given_units)
    random.shuffle(shuffled)
    assert [c.unit for c in rank(shuffled)] == [c.unit for c in rank(given_units)]


@given(st.lists(units, min_size=1, max_size=8, unique_by=lambda u: u.code))
def test_more_marks_met_never_ranks_lower(given_units):
    cards = rank(given_units)
    for a in cards:
        for b in cards:
            if a.met > b.met:
                assert a.position < b.position
            if a.met == b.met:
                assert a.position == b.position
    assert cards[0].position == 1
    assert all(1 <= c.position <= len(cards) for c in cards)


@given(units, st.sampled_from(["party_groups", "buildings_led", "mutual_aid_members"]))
def test_more_of_a_good_thing_never_loses_a_mark(unit, field):
    better = dataclasses.replace(unit, **{field: getattr(unit, field) + 1})
    before, after = marks(unit), marks(better)
    assert all(a.met or not b.met for b, a in zip(before, after, strict=True))
