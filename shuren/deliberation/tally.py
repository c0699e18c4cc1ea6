"""The owners' vote count under 民法典 Art. 278 and the judicial interpretation on 建筑物区分所有权
(法释〔2009〕7号, Arts. 8-9): a pure function over the electorate's units and the ballots.

- Area: each unit's exclusive area; an owner's area is the sum of their units.
- Headcount: one unit is one person, but one owner of several units is one person, and all
  the developer's unsold units together are one person (whoever holds them).
- Participation (every matter): at least 2/3 of the whole electorate's area AND at least 2/3 of
  its headcount took part ("三分之二以上": the boundary counts).
- Approval: matters 6, 7, 8 need at least 3/4 of the participating area AND headcount
  ("四分之三以上"); matters 1-5 and 9 need more than half of both ("过半数": half is not enough).
- Exact rationals throughout (Decimal areas become Fractions), never floats.

A ballot is the choice of one *voter* (an `owner_id`): it counts for every person that voter
holds: their own units' person and, if they hold unsold developer units, the developer's person
(normally a voter holds one of the two).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

Choice = Literal["agree", "disagree", "abstain"]
CHOICES: tuple[Choice, ...] = ("agree", "disagree", "abstain")

# 民法典 Art. 278: the nine matters owners decide jointly, and the three that need 3/4.
MATTERS = range(1, 10)
SPECIAL_MATTERS = frozenset({6, 7, 8})
QUORUM = Fraction(2, 3)
SPECIAL_MAJORITY = Fraction(3, 4)
MAJORITY = Fraction(1, 2)

# The key under which all unsold developer units count as one person.
DEVELOPER = ("developer",)


@dataclass(frozen=True)
class Unit:
    """One exclusive part (专有部分) of the electorate."""

    unit_id: Hashable
    owner_id: Hashable
    area: Decimal
    developer_unsold: bool = False


@dataclass(frozen=True)
class Ballot:
    owner_id: Hashable
    choice: Choice


@dataclass(frozen=True)
class TallyResult:
    matter: int
    quorum_met: bool
    passed: bool
    # Shares of the whole electorate (participation) and of the participants (approval).
    participating_area: Fraction
    participating_headcount: Fraction
    approving_area: Fraction
    approving_headcount: Fraction
    # The numbers behind the shares, for the result page and the public notice.
    total_area: Decimal
    total_headcount: int
    voted_area: Decimal
    voted_headcount: int
    agree_area: Decimal
    agree_headcount: int
    disagree_area: Decimal
    disagree_headcount: int
    abstain_area: Decimal
    abstain_headcount: int

    @property
    def approval_threshold(self) -> Fraction:
        return SPECIAL_MAJORITY if self.matter in SPECIAL_MATTERS else MAJORITY

    @property
    def approval_inclusive(self) -> bool:
        """ "以上" includes the boundary; "过半数" does not."""
        return self.matter in SPECIAL_MATTERS


class TallyError(ValueError):
    """The units or ballots cannot be counted as given (a programming or data error)."""


def _person(unit: Unit) -> Hashable:
    return DEVELOPER if unit.developer_unsold else ("owner", unit.owner_id)


def _share(part: Fraction | int, whole: Fraction | int) -> Fraction:
    return Fraction(part) / Fraction(whole) if whole else Fraction(0)


def approves(share: Fraction, matter: int) -> bool:
    if matter in SPECIAL_MATTERS:
        return share >= SPECIAL_MAJORITY
    return share > MAJORITY


def tally(units: Iterable[Unit], ballots: Iterable[Ballot], matter: int) -> TallyResult:
    """Count the ballots over the electorate for Art. 278 matter `matter` (1-9)."""
    if matter not in MATTERS:
        raise TallyError(f"matter must be an Art. 278 item 1-9, not {matter!r}")
    units = list(units)
    seen_units: set[Hashable] = set()
    area_of: dict[Hashable, Fraction] = {}
    persons_of_voter: dict[Hashable, set[Hashable]] = {}
    for unit in units:
        if unit.unit_id in seen_units:
            raise TallyError(f"unit {unit.unit_id!r} is listed twice")
        seen_units.add(unit.unit_id)
        if not isinstance(unit.area, Decimal) or not unit.area.is_finite() or unit.area <= 0:
            raise TallyError(f"unit {unit.unit_id!r} has no positive area")
        person = _person(unit)
        area_of[person] = area_of.get(person, Fraction(0)) + Fraction(unit.area)
        persons_of_voter.setdefault(unit.owner_id, set()).add(person)

    choice_of: dict[Hashable, Choice] = {}
    voters: set[Hashable] = set()
    for ballot in ballots:
        if ballot.choice not in CHOICES:
            raise TallyError(f"unknown choice {ballot.choice!r}")
        if ballot.owner_id not in persons_of_voter:
            raise TallyError(f"owner {ballot.owner_id!r} is not in the electorate")
        if ballot.owner_id in voters:
            raise TallyError(f"owner {ballot.owner_id!r} voted twice")
        voters.add(ballot.owner_id)
        for person in persons_of_voter[ballot.owner_id]:
            if person in choice_of and choice_of[person] != ballot.choice:
                # Two holders of the developer's units disagreeing: the person has no one choice.
                raise TallyError("the developer's unsold units were voted two ways")
            choice_of[person] = ballot.choice

    total_area = sum(area_of.values(), Fraction(0))
    total_heads = len(area_of)

    def area(choices: tuple[Choice, ...]) -> Fraction:
        return sum((area_of[p] for p, c in choice_of.items() if c in choices), Fraction(0))

    def heads(choices: tuple[Choice, ...]) -> int:
        return sum(1 for c in choice_of.values() if c in choices)

    voted_area, voted_heads = area(CHOICES), heads(CHOICES)
    agree_area, agree_heads = area(("agree",)), heads(("agree",))
    participating_area = _share(voted_area, total_area)
    participating_heads = _share(voted_heads, total_heads)
    approving_area = _share(agree_area, voted_area)
    approving_heads = _share(agree_heads, voted_heads)
    quorum_met = total_heads > 0 and participating_area >= QUORUM and participating_heads >= QUORUM
    passed = quorum_met and approves(approving_area, matter) and approves(approving_heads, matter)

    def dec(value: Fraction) -> Decimal:
        # Areas are sums of Decimals with two places: exact as Decimals again.
        return Decimal(value.numerator) / Decimal(value.denominator)

    return TallyResult(
        matter=matter,
        quorum_met=quorum_met,
        passed=passed,
        participating_area=participating_area,
        participating_headcount=participating_heads,
        approving_area=approving_area,
        approving_headcount=approving_heads,
        total_area=dec(total_area),
        total_headcount=total_heads,
        voted_area=dec(voted_area),
        voted_headcount=voted_heads,
        agree_area=dec(agree_area),
        agree_headcount=agree_heads,
        disagree_area=dec(area(("disagree",))),
        disagree_headcount=heads(("disagree",)),
        abstain_area=dec(area(("abstain",))),
        abstain_headcount=heads(("abstain",)),
    )
