"""The Art. 278 count: worked cases written from the statute (民法典 Art. 278, 建筑物区分所有权
司法解释 Arts. 8-9), with their arithmetic, and properties that hold for any electorate."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shuren.deliberation.tally import (
    MAJORITY,
    SPECIAL_MAJORITY,
    Ballot,
    TallyError,
    TallyResult,
    Unit,
    tally,
)

ORDINARY_MATTERS = (1, 2, 3, 4, 5, 9)
SPECIAL_MATTERS = (6, 7, 8)
REBUILD = 7  # 改建、重建 (an elevator retrofit)
PROPERTY_COMPANY = 4  # 选聘和解聘物业服务企业


def owners(*areas: str, prefix: str = "o") -> list[Unit]:
    """One unit per owner, owner o1 holding the first area, o2 the second…"""
    return [
        Unit(unit_id=f"{prefix}{i}-unit", owner_id=f"{prefix}{i}", area=Decimal(area))
        for i, area in enumerate(areas, start=1)
    ]


def ballots(choices: str) -> list[Ballot]:
    """'aadx.' : o1 agrees, o2 agrees, o3 disagrees, o4 abstains (x), o5 does not vote (.)."""
    words = {"a": "agree", "d": "disagree", "x": "abstain"}
    return [
        Ballot(owner_id=f"o{i}", choice=words[c])  # type: ignore[arg-type]
        for i, c in enumerate(choices, start=1)
        if c != "."
    ]


# Participation: "参与表决的业主专有部分面积和人数均占三分之二以上" — the boundary counts.


def test_exactly_two_thirds_of_the_area_and_of_the_owners_taking_part_is_a_quorum():
    # 30 owners of 100.00 m²: 20 vote. Area 2000.00 / 3000.00 = 2/3, heads 20 / 30 = 2/3.
    result = tally(owners(*["100.00"] * 30), ballots("a" * 20 + "." * 10), REBUILD)
    assert result.participating_area == Fraction(2, 3)
    assert result.participating_headcount == Fraction(2, 3)
    assert result.quorum_met
    assert result.passed


def test_a_hundredth_of_a_square_metre_short_of_two_thirds_of_the_area_is_no_quorum():
    # 20 voters of 100.00 m² (2000.00), 10 who stay away hold 9 × 100.00 + 100.01 = 1000.01.
    # Area 2000.00 / 3000.01 < 2/3 (3 × 2000.00 = 6000.00 < 2 × 3000.01 = 6000.02);
    # heads 20 / 30 = 2/3 is enough, so the area alone fails the quorum.
    units = owners(*["100.00"] * 29, "100.01")
    result = tally(units, ballots("a" * 20 + "." * 10), PROPERTY_COMPANY)
    assert result.participating_headcount == Fraction(2, 3)
    assert result.participating_area == Fraction(200000, 300001)
    assert not result.quorum_met
    assert not result.passed


def test_one_owner_short_of_two_thirds_of_the_owners_is_no_quorum_even_with_the_area():
    # 19 voters of 100.00 m² (1900.00); 11 who stay away: 10 × 86.00 + 90.00 = 950.00.
    # Area 1900.00 / 2850.00 = 2/3 exactly (enough); heads 19 / 30 < 2/3 (20 needed).
    units = owners(*["100.00"] * 19, *["86.00"] * 10, "90.00")
    result = tally(units, ballots("a" * 19 + "." * 11), PROPERTY_COMPANY)
    assert result.participating_area == Fraction(2, 3)
    assert result.participating_headcount == Fraction(19, 30)
    assert not result.quorum_met
    assert not result.passed


# Approval of matters 6-8: "经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的
# 业主同意".


def test_exactly_three_quarters_of_the_participants_agreeing_rebuilds():
    # 4 owners of 100.00 m², all vote, 3 agree: area 300.00 / 400.00 = 3/4, heads 3/4.
    result = tally(owners(*["100.00"] * 4), ballots("aaad"), REBUILD)
    assert result.approving_area == Fraction(3, 4)
    assert result.approving_headcount == Fraction(3, 4)
    assert result.passed


def test_a_hundredth_of_a_square_metre_short_of_three_quarters_of_the_area_does_not_rebuild():
    # 3 agree holding 300.00 m², the one against holds 100.01: 300.00 / 400.01 < 3/4
    # (4 × 300.00 = 1200.00 < 3 × 400.01 = 1200.03); heads 3/4 are enough on their own.
    result = tally(owners("100.00", "100.00", "100.00", "100.01"), ballots("aaad"), REBUILD)
    assert result.quorum_met
    assert result.approving_headcount == Fraction(3, 4)
    assert result.approving_area < SPECIAL_MAJORITY
    assert not result.passed


def test_two_thirds_of_the_owners_agreeing_does_not_rebuild_even_with_three_quarters_of_the_area():
    # 12 owners vote: 8 agree holding 8 × 112.50 = 900.00, 4 against holding 4 × 75.00 = 300.00.
    # Area 900.00 / 1200.00 = 3/4 (enough), heads 8 / 12 = 2/3 < 3/4.
    units = owners(*["112.50"] * 8, *["75.00"] * 4)
    result = tally(units, ballots("a" * 8 + "d" * 4), REBUILD)
    assert result.approving_area == Fraction(3, 4)
    assert result.approving_headcount == Fraction(2, 3)
    assert not result.passed


# Approval of matters 1-5 and 9: "经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主
# 同意".


def test_exactly_half_of_the_participants_agreeing_does_not_change_the_property_company():
    # 4 owners of 100.00 m² all vote, 2 agree: area 200.00 / 400.00 = 1/2 and heads 2/4 = 1/2;
    # "过半数" is more than half, so half is not enough.
    result = tally(owners(*["100.00"] * 4), ballots("aadd"), PROPERTY_COMPANY)
    assert result.approving_area == MAJORITY
    assert result.approving_headcount == MAJORITY
    assert result.quorum_met
    assert not result.passed


def test_just_over_half_of_the_area_and_of_the_owners_changes_the_property_company():
    # 3 agree holding 3 × 83.34 = 250.02, 2 against holding 2 × 124.99 = 249.98, total 500.00.
    # Area 250.02 / 500.00 > 1/2 by 0.02 m²; heads 3/5 > 1/2.
    units = owners(*["83.34"] * 3, *["124.99"] * 2)
    result = tally(units, ballots("aaadd"), PROPERTY_COMPANY)
    assert result.approving_area == Fraction(25002, 50000)
    assert result.approving_headcount == Fraction(3, 5)
    assert result.passed


def test_half_of_the_owners_is_not_enough_even_with_most_of_the_area():
    # 4 vote: 2 agree holding 2 × 150.00 = 300.00, 2 against holding 2 × 50.00 = 100.00.
    # Area 300 / 400 = 3/4 > 1/2, heads 2/4 = 1/2: not more than half.
    result = tally(owners("150.00", "150.00", "50.00", "50.00"), ballots("aadd"), 4)
    assert result.approving_area == Fraction(3, 4)
    assert not result.passed


def test_half_of_the_area_is_not_enough_even_with_most_of_the_owners():
    # 3 vote: 2 agree holding 2 × 50.00 = 100.00, 1 against holding 100.00.
    # Heads 2/3 > 1/2, area 100 / 200 = 1/2: not more than half.
    result = tally(owners("50.00", "50.00", "100.00"), ballots("aad"), 4)
    assert result.approving_headcount == Fraction(2, 3)
    assert not result.passed


# Who is one person (司法解释 Art. 9).


def test_one_owner_of_three_units_is_one_person_with_the_area_of_all_three():
    # 王 holds 101, 102, 103 (3 × 80.00 = 240.00); 李 and 张 one unit of 100.00 each.
    # Electorate: 3 persons, 440.00 m². 王 alone votes: heads 1/3, area 240.00 / 440.00 = 6/11.
    units = [
        Unit("101", "王", Decimal("80.00")),
        Unit("102", "王", Decimal("80.00")),
        Unit("103", "王", Decimal("80.00")),
        Unit("201", "李", Decimal("100.00")),
        Unit("202", "张", Decimal("100.00")),
    ]
    result = tally(units, [Ballot("王", "agree")], REBUILD)
    assert result.total_headcount == 3
    assert result.total_area == Decimal("440.00")
    assert (result.voted_headcount, result.voted_area) == (1, Decimal("240.00"))
    assert result.participating_headcount == Fraction(1, 3)
    assert result.participating_area == Fraction(6, 11)


def test_all_the_developers_unsold_units_are_one_person_with_all_their_area():
    # Five unsold units of 100.00 m² and two owners' units of 100.00: 3 persons, 700.00 m².
    # The developer and 李 vote: heads 2/3, area 600.00 / 700.00 = 6/7: a quorum.
    units = [Unit(f"unsold-{n}", "developer", Decimal("100.00"), True) for n in range(5)]
    units += [Unit("201", "李", Decimal("100.00")), Unit("202", "张", Decimal("100.00"))]
    result = tally(units, [Ballot("developer", "disagree"), Ballot("李", "agree")], 4)
    assert result.total_headcount == 3
    assert result.disagree_area == Decimal("500.00")
    assert result.participating_headcount == Fraction(2, 3)
    assert result.quorum_met
    # 李 agrees (1 of 2 participants, 100.00 of 600.00 m²): not passed.
    assert not result.passed


def test_the_developers_unsold_units_under_two_owner_ids_are_refused_not_counted_as_two():
    # The developer is one person with one ballot. If its units carry two ids (a buyer's id on a
    # unit sold but not delivered, say), the count cannot know who casts the developer's ballot.
    units = [
        Unit("unsold-1", "developer", Decimal("100.00"), True),
        Unit("unsold-2", "buyer", Decimal("100.00"), True),
        Unit("201", "李", Decimal("100.00")),
    ]
    with pytest.raises(TallyError, match="developer"):
        tally(units, [Ballot("developer", "agree")], 4)


def test_the_developer_is_one_person_even_if_it_also_holds_a_delivered_unit():
    # One owner of several units is one person: the developer's id on an ordinary unit too.
    units = [
        Unit("unsold-1", "developer", Decimal("100.00"), True),
        Unit("show-flat", "developer", Decimal("50.00")),
        Unit("201", "李", Decimal("100.00")),
    ]
    result = tally(units, [Ballot("developer", "agree")], 4)
    assert (result.total_headcount, result.voted_headcount) == (2, 1)
    assert result.voted_area == Decimal("150.00")


# Abstentions, the empty electorate, what cannot be counted.


def test_an_abstention_takes_part_but_does_not_agree():
    # 3 owners of 100.00 m², 2 vote: 1 agrees, 1 abstains. Participation 2/3 (a quorum);
    # approval 1/2 of area and heads: not more than half.
    result = tally(owners(*["100.00"] * 3), ballots("ax."), PROPERTY_COMPANY)
    assert result.quorum_met
    assert (result.abstain_headcount, result.abstain_area) == (1, Decimal("100.00"))
    assert result.approving_headcount == MAJORITY
    assert not result.passed


def test_an_abstention_can_stop_a_rebuilding_nobody_opposed():
    # 4 owners vote: 2 agree, 2 abstain, nobody against: approval 1/2 < 3/4.
    assert not tally(owners(*["100.00"] * 4), ballots("aaxx"), REBUILD).passed


def test_an_empty_electorate_has_no_quorum_and_nothing_passes():
    result = tally([], [], PROPERTY_COMPANY)
    assert (result.quorum_met, result.passed) == (False, False)
    assert result.total_headcount == 0
    assert result.total_area == 0
    assert result.participating_area == result.participating_headcount == 0


def test_nobody_voting_is_no_quorum():
    result = tally(owners("100.00", "80.00"), [], 1)
    assert not result.quorum_met
    assert result.approving_area == result.approving_headcount == 0


def test_a_ballot_from_outside_the_electorate_is_refused():
    with pytest.raises(TallyError, match="not in the electorate"):
        tally(owners("100.00"), [Ballot("stranger", "agree")], 4)


def test_a_second_ballot_of_the_same_owner_is_refused_even_with_the_same_choice():
    with pytest.raises(TallyError, match="twice"):
        tally(owners("100.00", "90.00"), ballots("a") + ballots("a"), 4)


def test_an_unknown_choice_is_refused():
    with pytest.raises(TallyError, match="choice"):
        tally(owners("100.00"), [Ballot("o1", "yes")], 4)  # type: ignore[arg-type]


@pytest.mark.parametrize("matter", [0, 10, -7, True, 7.0, "7", None])
def test_a_matter_outside_art_278_items_one_to_nine_is_refused(matter: Any):
    with pytest.raises(TallyError, match="1-9"):
        tally(owners("100.00"), ballots("a"), matter)


@pytest.mark.parametrize(
    "area", [Decimal("0.00"), Decimal("-1.00"), Decimal("NaN"), Decimal("Infinity"), 100.0, 100]
)
def test_a_unit_without_a_positive_decimal_area_is_refused(area: Any):
    with pytest.raises(TallyError, match="area"):
        tally([Unit("101", "o1", area)], [], 4)


def test_a_unit_listed_twice_is_refused():
    with pytest.raises(TallyError, match="twice"):
        tally([Unit("101", "o1", Decimal("1.00")), Unit("101", "o2", Decimal("1.00"))], [], 4)


# Every matter has its own threshold.


@pytest.mark.parametrize("matter", range(1, 10))
def test_three_quarters_agreeing_passes_every_matter(matter: int):
    # 4 of 4 owners vote, 3 agree: 3/4 ≥ 3/4 (matters 6-8) and 3/4 > 1/2 (the others).
    assert tally(owners(*["100.00"] * 4), ballots("aaad"), matter).passed


@pytest.mark.parametrize("matter", range(1, 10))
def test_two_thirds_agreeing_passes_only_the_ordinary_matters(matter: int):
    # 3 of 3 owners vote, 2 agree: 2/3 > 1/2 but 2/3 < 3/4.
    result = tally(owners(*["100.00"] * 3), ballots("aad"), matter)
    assert result.passed == (matter in ORDINARY_MATTERS)
    assert result.approval_threshold == (
        SPECIAL_MAJORITY if matter in SPECIAL_MATTERS else MAJORITY
    )
    assert result.approval_inclusive == (matter in SPECIAL_MATTERS)


@pytest.mark.parametrize("matter", range(1, 10))
def test_exactly_half_agreeing_passes_no_matter(matter: int):
    assert not tally(owners(*["100.00"] * 4), ballots("aadd"), matter).passed


# Properties over any electorate.

AREAS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
OWNERS = st.sampled_from(["o1", "o2", "o3", "o4", "o5", "o6", "o7"])
CHOICE_OR_NONE = st.sampled_from([None, "agree", "disagree", "abstain"])
property_settings = settings(max_examples=300, deadline=None)


@st.composite
def elections(draw: st.DrawFn) -> tuple[list[Unit], list[Ballot]]:
    """Units of a few owners (some holding several), some the developer's unsold ones (all held
    under one id, as the electorate keeps them), and at most one ballot per owner."""
    specs = draw(st.lists(st.tuples(OWNERS, AREAS, st.booleans()), max_size=14))
    units = [
        Unit(
            unit_id=n, owner_id="developer" if unsold else owner, area=area, developer_unsold=unsold
        )
        for n, (owner, area, unsold) in enumerate(specs)
    ]
    voters = sorted({u.owner_id for u in units})
    cast = [Ballot(v, c) for v in voters if (c := draw(CHOICE_OR_NONE)) is not None]
    return units, cast


MATTERS = st.integers(min_value=1, max_value=9)


def cents(value: Decimal) -> int:
    return int(value * 100)


def _with_choice(cast: list[Ballot], owner: Any, choice: str) -> list[Ballot]:
    return [Ballot(b.owner_id, choice if b.owner_id == owner else b.choice) for b in cast]  # type: ignore[arg-type]


@property_settings
@given(elections(), MATTERS)
def test_every_share_is_between_nothing_and_all(election, matter):
    result = tally(*election, matter)
    for share in (
        result.participating_area,
        result.participating_headcount,
        result.approving_area,
        result.approving_headcount,
    ):
        assert isinstance(share, Fraction)
        assert 0 <= share <= 1


@property_settings
@given(elections(), MATTERS)
def test_a_vote_passes_only_with_a_quorum(election, matter):
    result = tally(*election, matter)
    assert not result.passed or result.quorum_met


@property_settings
@given(elections(), MATTERS)
def test_the_numbers_add_up_to_the_electorate_and_the_ballots(election, matter):
    units, cast = election
    result = tally(units, cast, matter)
    assert result.total_area == sum((u.area for u in units), Decimal(0))
    assert result.total_headcount == len({u.owner_id for u in units})
    assert result.voted_headcount == len(cast)
    assert result.voted_area == result.agree_area + result.disagree_area + result.abstain_area
    assert result.voted_headcount == (
        result.agree_headcount + result.disagree_headcount + result.abstain_headcount
    )
    agreeing = {b.owner_id for b in cast if b.choice == "agree"}
    assert result.agree_area == sum((u.area for u in units if u.owner_id in agreeing), Decimal(0))


@property_settings
@given(elections(), MATTERS)
def test_the_fraction_shares_are_the_exact_ratios_of_the_numbers(election, matter):
    r = tally(*election, matter)

    def ratio(part: Decimal | int, whole: Decimal | int) -> Fraction:
        return Fraction(part) / Fraction(whole) if whole else Fraction(0)

    assert r.participating_area == ratio(r.voted_area, r.total_area)
    assert r.participating_headcount == ratio(r.voted_headcount, r.total_headcount)
    assert r.approving_area == ratio(r.agree_area, r.voted_area)
    assert r.approving_headcount == ratio(r.agree_headcount, r.voted_headcount)


@property_settings
@given(elections(), MATTERS)
def test_the_verdict_is_the_statutes_inequalities_in_whole_cents(election, matter):
    # An independent count: integers only, each "以上" as ≥ and "过半数" as > cross-multiplied.
    r = tally(*election, matter)
    total, voted, agree = cents(r.total_area), cents(r.voted_area), cents(r.agree_area)
    quorum = (
        r.total_headcount > 0
        and 3 * voted >= 2 * total
        and 3 * r.voted_headcount >= 2 * r.total_headcount
    )
    if matter in SPECIAL_MATTERS:
        approved = 4 * agree >= 3 * voted and 4 * r.agree_headcount >= 3 * r.voted_headcount
    else:
        approved = 2 * agree > voted and 2 * r.agree_headcount > r.voted_headcount
    assert r.quorum_met == quorum
    assert r.passed == (quorum and approved)


@property_settings
@given(elections(), MATTERS, st.randoms(use_true_random=False))
def test_the_order_of_the_units_and_of_the_ballots_does_not_matter(election, matter, random):
    units, cast = election
    shuffled_units, shuffled_ballots = list(units), list(cast)
    random.shuffle(shuffled_units)
    random.shuffle(shuffled_ballots)
    assert tally(shuffled_units, shuffled_ballots, matter) == tally(units, cast, matter)


@property_settings
@given(elections(), MATTERS, st.data())
def test_turning_a_disagreement_or_an_abstention_into_agreement_never_fails_a_passed_vote(
    election, matter, data
):
    units, cast = election
    before = tally(units, cast, matter)
    others = [b.owner_id for b in cast if b.choice != "agree"]
    if before.passed and others:
        owner = data.draw(st.sampled_from(others))
        after = tally(units, _with_choice(cast, owner, "agree"), matter)
        assert after.passed
        assert after.participating_area == before.participating_area


@property_settings
@given(elections(), MATTERS, st.data())
def test_turning_a_ballot_into_an_abstention_never_passes_a_failed_vote(election, matter, data):
    # Participation is the same; the agreeing side can only shrink.
    units, cast = election
    before = tally(units, cast, matter)
    if not before.passed and cast:
        owner = data.draw(st.sampled_from([b.owner_id for b in cast]))
        assert not tally(units, _with_choice(cast, owner, "abstain"), matter).passed


@property_settings
@given(elections(), MATTERS, st.data())
def test_one_more_owner_agreeing_never_fails_a_passed_vote(election, matter, data):
    # (a + x) / (v + x) ≥ a / v whenever a ≤ v: a new agreeing voter raises both approvals and
    # both participations.
    units, cast = election
    before = tally(units, cast, matter)
    silent = sorted({u.owner_id for u in units} - {b.owner_id for b in cast})
    if silent:
        owner = data.draw(st.sampled_from(silent))
        after = tally(units, [*cast, Ballot(owner, "agree")], matter)
        assert after.passed or not before.passed
        assert after.approving_area >= before.approving_area
        assert after.approving_headcount >= before.approving_headcount


@property_settings
@given(elections(), MATTERS, st.data(), st.sampled_from(["agree", "disagree", "abstain"]))
def test_one_more_ballot_of_any_kind_never_loses_a_quorum(election, matter, data, choice):
    units, cast = election
    silent = sorted({u.owner_id for u in units} - {b.owner_id for b in cast})
    if silent:
        owner = data.draw(st.sampled_from(silent))
        after = tally(units, [*cast, Ballot(owner, choice)], matter)
        assert after.quorum_met or not tally(units, cast, matter).quorum_met


@property_settings
@given(elections(), st.sampled_from(SPECIAL_MATTERS), st.sampled_from(ORDINARY_MATTERS))
def test_what_passes_a_special_matter_passes_every_ordinary_one(election, special, ordinary):
    # The same quorum, and three quarters or more is always more than half.
    if tally(*election, special).passed:
        assert tally(*election, ordinary).passed


@property_settings
@given(elections(), MATTERS, st.data())
def test_splitting_an_owners_unit_in_two_changes_nothing(election, matter, data):
    # One owner of several units is one person with all their area: how the area is cut into
    # units is irrelevant.
    units, cast = election
    splittable = [u for u in units if u.area >= Decimal("0.02")]
    if splittable:
        unit = data.draw(st.sampled_from(splittable))
        part = data.draw(
            st.decimals(min_value=Decimal("0.01"), max_value=unit.area - Decimal("0.01"), places=2)
        )
        split = [u for u in units if u is not unit] + [
            Unit(("a", unit.unit_id), unit.owner_id, part, unit.developer_unsold),
            Unit(("b", unit.unit_id), unit.owner_id, unit.area - part, unit.developer_unsold),
        ]
        assert tally(split, cast, matter) == tally(units, cast, matter)


def test_the_result_is_a_plain_frozen_value():
    result = tally(owners("100.00"), ballots("a"), 4)
    assert isinstance(result, TallyResult)
    with pytest.raises(AttributeError):
        result.passed = False  # type: ignore[misc]
