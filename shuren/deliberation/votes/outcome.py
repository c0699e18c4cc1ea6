"""A counted vote in words: its two tests (participation, approval), each by area and by
headcount, with the numbers behind each share and the threshold it was held to. The result
page, the public notice and the API read it; it names no owner and no owner's choice."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shuren.deliberation import tally


@dataclass(frozen=True)
class Measure:
    """One share against its threshold: 'by area' or 'by headcount'."""

    by: str
    numerator: str
    denominator: str
    unit: str
    percent: str
    met: bool


@dataclass(frozen=True)
class Test:
    key: str  # participation, approval
    name: str
    rule: str  # the threshold in words
    measures: tuple[Measure, Measure]
    met: bool


def percent(share: Fraction) -> str:
    """A share as a percentage with two decimals (the test itself is exact)."""
    value = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def _area(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def tests(result: tally.TallyResult) -> tuple[Test, Test]:
    """The participation test (every matter: two thirds of the area and of the headcount) and
    the approval test (three quarters of the participants for matters 6-8, more than half for
    the others), each by area and by headcount."""
    sq_m, persons = _("m²"), pgettext("headcount", "owners")
    quorum_area = result.participating_area >= tally.QUORUM
    quorum_heads = result.participating_headcount >= tally.QUORUM
    participation = Test(
        key="participation",
        name=_("Participation"),
        rule=_("At least two thirds of the whole area and of all owners took part"),
        measures=(
            Measure(
                _("by area"),
                _area(result.voted_area),
                _area(result.total_area),
                sq_m,
                percent(result.participating_area),
                quorum_area,
            ),
            Measure(
                _("by headcount"),
                str(result.voted_headcount),
                str(result.total_headcount),
                persons,
                percent(result.participating_headcount),
                quorum_heads,
            ),
        ),
        met=result.quorum_met,
    )
    if result.matter in tally.SPECIAL_MATTERS:
        rule = _("At least three quarters of the area and of the owners who took part agreed")
    else:
        rule = _("More than half of the area and of the owners who took part agreed")
    area_ok = tally.approves(result.approving_area, result.matter)
    heads_ok = tally.approves(result.approving_headcount, result.matter)
    approval = Test(
        key="approval",
        name=_("Approval"),
        rule=rule,
        measures=(
            Measure(
                _("by area"),
                _area(result.agree_area),
                _area(result.voted_area),
                sq_m,
                percent(result.approving_area),
                area_ok and result.voted_headcount > 0,
            ),
            Measure(
                _("by headcount"),
                str(result.agree_headcount),
                str(result.voted_headcount),
                persons,
                percent(result.approving_headcount),
                heads_ok and result.voted_headcount > 0,
            ),
        ),
        met=area_ok and heads_ok and result.voted_headcount > 0,
    )
    return participation, approval


def outcome_words(result: tally.TallyResult) -> str:
    if result.passed:
        return _("Passed: the owners decided it jointly.")
    if not result.quorum_met:
        return _("Not passed: too few owners took part (the participation test was not met).")
    return _("Not passed: too few of the owners who took part agreed.")
