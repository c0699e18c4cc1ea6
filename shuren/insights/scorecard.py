"""The good-governance scorecard (好治理的七个标志): the article's seven marks of an estate, lane or
street, each a pure function of counts taken from the records, with its rule in words; and the
ranking of a community's estates by the marks they meet. A mark whose records Shuren does not
keep yet is "not yet recorded", never a number, and is not counted as met."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuren.cases.metrics import Rate


@dataclass(frozen=True)
class Thresholds:
    """Where each mark is met, in one place (the subdistrict may tune them here):

    - leader_share: 楼栋有楼长 — the share of the unit's buildings with an active leader;
    - mutual_aid_members: 邻里有关爱 — active members of its mutual-aid associations;
    - company_on_time, company_satisfaction: 物企有亮点 — the property company's on-time and
      satisfaction rates over the matters it handled in the estate, both at least this;
    - company_min_settled: and it settled at least this many, so one matter is no highlight.
    """

    leader_share: Fraction = Fraction(9, 10)
    mutual_aid_members: int = 5
    company_on_time: Fraction = Fraction(9, 10)
    company_satisfaction: Fraction = Fraction(9, 10)
    company_min_settled: int = 3


THRESHOLDS = Thresholds()


NONE = Rate(0, 0)  # a rate with nothing to count (immutable, so a safe default)


@dataclass(frozen=True)
class UnitCounts:
    """What the records say of one estate, lane or street (scorecard_counts.py counts it)."""

    code: str
    name: str
    party_groups: int = 0  # active party-group teams (党小组) based there
    party_member_leaders: int = 0  # party members among its active leaders
    buildings: int = 0  # its buildings (a lane or street without any counts itself as one)
    buildings_led: int = 0  # of them, with an active building, lane or street leader
    governance_teams: int = 0  # active leader teams and self-governance groups
    governance_teams_staffed: int = 0  # of them, with an active member or post holder
    mutual_aid_teams: int = 0  # active mutual-aid associations (互助会)
    mutual_aid_members: int = 0  # their active members, each person once
    has_company: bool = False  # a property company manages it
    company_settled: int = 0  # matters the company handled there and settled
    company_on_time: Rate = NONE
    company_satisfaction: Rate = NONE


class State(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_RECORDED = "not_recorded"  # Shuren keeps no records of this yet
    NO_COMPANY = "no_company"  # 物企有亮点 of a place no property company manages


@dataclass(frozen=True)
class MarkDef:
    code: str
    label: Promise
    rule: Promise


MARKS: tuple[MarkDef, ...] = (
    MarkDef(
        "party",
        _("Party building has a base (党建有阵地)"),
        _(
            "Met when a party group (党小组) is based here or at least one of its active "
            "building, lane or street leaders is a party member."
        ),
    ),
    MarkDef(
        "leaders",
        _("Every building has a leader (楼栋有楼长)"),
        _(
            "The share of its buildings with an active building leader (or, in a lane or "
            "street, its lane or street leader); met at 90% or more."
        ),
    ),
    MarkDef(
        "governance",
        _("Governance has a system (治理有体系)"),
        _(
            "Met when a leader team or self-governance group is based here and every one of "
            "them has an active member or post holder."
        ),
    ),
    MarkDef(
        "consultation",
        _("Consultation has a mechanism (协商有机制)"),
        _("Counted from the records of consultations, which Shuren does not keep yet."),
    ),
    MarkDef(
        "deliberation",
        _("Deliberation has a platform (议事有平台)"),
        _("Counted from the records of meetings and votes, which Shuren does not keep yet."),
    ),
    MarkDef(
        "care",
        _("Neighbours care for each other (邻里有关爱)"),
        _(
            "The active members of its mutual-aid associations (互助会); met at 5 or more. "
            "Not yet recorded where no association has been entered."
        ),
    ),
    MarkDef(
        "company",
        _("The property company shines (物企有亮点)"),
        _(
            "Of the matters its property company handled here and settled: the share settled "
            "on time and the share satisfied at follow-up; met when it settled at least 3 and "
            "both are 90% or more."
        ),
    ),
)


@dataclass(frozen=True)
class Mark:
    code: str
    state: State
    # The numbers behind it, for the page to say: (numerator, denominator) pairs or counts.
    numbers: tuple[int, ...] = ()

    @property
    def met(self) -> bool:
        return self.state == State.MET


def _state(met: bool) -> State:
    return State.MET if met else State.NOT_MET


def _at_least(rate: Rate, share: Fraction) -> bool:
    return rate.value is not None and rate.value >= share


def marks(counts: UnitCounts, thresholds: Thresholds = THRESHOLDS) -> tuple[Mark, ...]:
    """The seven marks of one unit, in the article's order."""
    c, t = counts, thresholds
    led = Rate(c.buildings_led, c.buildings)
    if c.has_company:
        company = Mark(
            "company",
            _state(
                c.company_settled >= t.company_min_settled
                and _at_least(c.company_on_time, t.company_on_time)
                and _at_least(c.company_satisfaction, t.company_satisfaction)
            ),
            (
                c.company_settled,
                c.company_on_time.numerator,
                c.company_on_time.denominator,
                c.company_satisfaction.numerator,
                c.company_satisfaction.denominator,
            ),
        )
    else:
        company = Mark("company", State.NO_COMPANY)
    return (
        Mark(
            "party",
            _state(c.party_groups > 0 or c.party_member_leaders > 0),
            (c.party_groups, c.party_member_leaders),
        ),
        Mark("leaders", _state(_at_least(led, t.leader_share)), (c.buildings_led, c.buildings)),
        Mark(
            "governance",
            _state(c.governance_teams > 0 and c.governance_teams_staffed == c.governance_teams),
            (c.governance_teams_staffed, c.governance_teams),
        ),
        Mark("consultation", State.NOT_RECORDED),
        Mark("deliberation", State.NOT_RECORDED),
        (
            Mark(
                "care",
                _state(c.mutual_aid_members >= t.mutual_aid_members),
                (c.mutual_aid_members, c.mutual_aid_teams),
            )
            if c.mutual_aid_teams
            else Mark("care", State.NOT_RECORDED)
        ),
        company,
    )


@dataclass(frozen=True)
class Card:
    """One unit's line of the scorecard: its marks, how many it meets, its place in the rank."""

    unit: UnitCounts
    marks: tuple[Mark, ...]
    met: int
    position: int


def rank(units: list[UnitCounts], thresholds: Thresholds = THRESHOLDS) -> list[Card]:
    """The units by the number of marks met, most first; ties share a position (1, 2, 2, 4)
    and stand in the order of their codes, so the ranking never depends on the input order."""
    scored = []
    for unit in units:
        its = marks(unit, thresholds)
        scored.append((unit, its, sum(m.met for m in its)))
    scored.sort(key=lambda s: (-s[2], s[0].code))
    cards = []
    for unit, its, met in scored:
        position = 1 + sum(1 for other in scored if other[2] > met)
        cards.append(Card(unit, its, met, position))
    return cards
