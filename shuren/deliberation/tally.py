"""The owners' vote count under 民法典 Art. 278 and the judicial interpretation on 建筑物区分所有权
(法释〔2009〕7号, Arts. 8-9): a pure function over the electorate's units and the ballots.

- A unit's `owner_id` is whose vote the unit is: one person (co-owners of a unit together under
  one id, as the electorate makes them). One owner_id is one person and one ballot.
- Area: each unit's exclusive area; a person's area is the sum of their units.
- Headcount: one unit is one person, but one owner of several units is one person, and all
  the developer's unsold units together are one person. The developer's units must therefore
  all be held under one owner_id: if they are not, the count refuses (TallyError) rather than
  guess who speaks for the developer (a unit sold but not delivered is still the developer's,
  so its buyer's id on it must not cast the developer's ballot, nor make it two persons).
- Participation (every matter): at least 2/3 of the whole electorate's area AND at least 2/3 of
  its headcount took part ("三分之二以上": the boundary counts).
- Approval: matters 6, 7, 8 need at least 3/4 of the participating area AND headcount
  ("四分之三以上"); matters 1-5 and 9 need more than half of both ("过半数": half is not enough).
- Exact numbers throughout: areas are summed as Decimals without rounding, shares are Fractions,
  never floats.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact, localcontext
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

# Sums of areas are exact: a context wide enough never to round, and rounding would be an error.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])


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


def _share(part: Decimal | int, whole: Decimal | int) -> Fraction:
    return Fraction(part) / Fraction(whole) if whole else Fraction(0)


def approves(share: Fraction, matter: int) -> bool:
    if matter in SPECIAL_MATTERS:
        return share >= SPECIAL_MAJORITY
    return share > MAJORITY


def _check_matter(matter: object) -> int:
    # Only an int 1-9: `True in range(1, 10)` and `7.0 in range(1, 10)` are both true in Python.
    if isinstance(matter, bool) or not isinstance(matter, int) or matter not in MATTERS:
        raise TallyError(f"matter must be an Art. 278 item 1-9, not {matter!r}")
    return matter


def _areas(units: Iterable[Unit]) -> dict[Hashable, Decimal]:
    """Each person's area (the sum of their units), refusing units that cannot be counted."""
    seen_units: set[Hashable] = set()
    developer_ids: set[Hashable] = set()
    area_of: dict[Hashable, Decimal] = {}
    with localcontext(_EXACT):
        for unit in units:
            if unit.unit_id in seen_units:
                raise TallyError(f"unit {unit.unit_id!r} is listed twice")
            seen_units.add(unit.unit_id)
            area = unit.area
            if not isinstance(area, Decimal) or not area.is_finite() or area <= 0:
                raise TallyError(f"unit {unit.unit_id!r} has no positive area")
            if unit.developer_unsold:
                developer_ids.add(unit.owner_id)
            area_of[unit.owner_id] = area_of.get(unit.owner_id, Decimal(0)) + area
    if len(developer_ids) > 1:
        # Art. 9: all of them are one person, so one voice: who casts it must be unambiguous.
        raise TallyError(
            f"the developer's unsold units are held under {len(developer_ids)} owner ids;"
            " they are one person and must have one"
        )
    return area_of


def tally(units: Iterable[Unit], ballots: Iterable[Ballot], matter: int) -> TallyResult:
    """Count the ballots over the electorate for Art. 278 matter `matter` (1-9)."""
    matter = _check_matter(matter)
    area_of = _areas(units)
    choice_of: dict[Hashable, Choice] = {}
    for ballot in ballots:
        if ballot.choice not in CHOICES:
            raise TallyError(f"unknown choice {ballot.choice!r}")
        if ballot.owner_id not in area_of:
            raise TallyError(f"owner {ballot.owner_id!r} is not in the electorate")
        if ballot.owner_id in choice_of:
            raise TallyError(f"owner {ballot.owner_id!r} voted twice")
        choice_of[ballot.owner_id] = ballot.choice

    def area(*choices: Choice) -> Decimal:
        with localcontext(_EXACT):
            return sum((area_of[p] for p, c in choice_of.items() if c in choices), Decimal(0))

    def heads(*choices: Choice) -> int:
        return sum(1 for c in choice_of.values() if c in choices)

    with localcontext(_EXACT):
        total_area = sum(area_of.values(), Decimal(0))
    total_heads = len(area_of)
    voted_area, voted_heads = area(*CHOICES), heads(*CHOICES)
    agree_area, agree_heads = area("agree"), heads("agree")
    participating_area = _share(voted_area, total_area)
    participating_heads = _share(voted_heads, total_heads)
    approving_area = _share(agree_area, voted_area)
    approving_heads = _share(agree_heads, voted_heads)
    quorum_met = total_heads > 0 and participating_area >= QUORUM and participating_heads >= QUORUM
    passed = quorum_met and approves(approving_area, matter) and approves(approving_heads, matter)
    return TallyResult(
        matter=matter,
        quorum_met=quorum_met,
        passed=passed,
        participating_area=participating_area,
        participating_headcount=participating_heads,
        approving_area=approving_area,
        approving_headcount=approving_heads,
        total_area=total_area,
        total_headcount=total_heads,
        voted_area=voted_area,
        voted_headcount=voted_heads,
        agree_area=agree_area,
        agree_headcount=agree_heads,
        disagree_area=area("disagree"),
        disagree_headcount=heads("disagree"),
        abstain_area=area("abstain"),
        abstain_headcount=heads("abstain"),
    )
