"""The work report's mediation figures (人民调解) of a place and period, each with its definition,
and the one rule of who reads them: the holders of `mediation.view_place_statistics` on the place
(the subdistrict's and the communities' staff, who send the justice bureau its statistics). The
report's other readers (building, lane and street leaders, grid workers) get None, and every face
(the page, the PDF, the workbook, GET /api/v1/stats/report) asks mediation_figures() only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import pgettext_lazy as p_

from shuren.insights.figures import Period
from shuren.insights.report import RATE_UNIT, Definition
from shuren.mediation.statistics import statistics

# The whole block's definition in one sentence (the API's `mediation.definition`).
MEDIATION_RULE = gettext_lazy(
    "Mediation cases at the place or below registered in the period (受理), before every "
    "organisation; succeeded: ended in an agreement (调解成功), whenever that was; the amount "
    "is what the accepted cases involve; prevention counts the cases and persons the mediators "
    "recorded as kept from a criminal case or a group petition."
)
CASES = p_("unit of disputes", "cases")
PEOPLE = p_("unit of people", "people")
MEDIATION_DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "mediation_accepted",
        gettext_lazy("Disputes accepted for mediation"),
        CASES,
        gettext_lazy(
            "Mediation cases at the place or below registered (受理) in the period by any "
            "people's mediation organisation, whatever became of them; each case once."
        ),
    ),
    Definition(
        "mediation_succeeded",
        gettext_lazy("Disputes mediated successfully"),
        CASES,
        gettext_lazy(
            "Of the cases accepted in the period, those that ended in an agreement "
            "(调解成功), whenever it was reached."
        ),
    ),
    Definition(
        "mediation_success_rate",
        gettext_lazy("Mediation success rate"),
        RATE_UNIT,
        gettext_lazy(
            "Of the cases accepted in the period, the share mediated successfully. None when "
            "none was accepted."
        ),
    ),
    Definition(
        "mediation_amount",
        gettext_lazy("Amount the disputes involve"),
        p_("unit of money", "yuan"),
        gettext_lazy("What the cases accepted in the period involve, as their mediators recorded."),
    ),
    Definition(
        "criminal_prevented_cases",
        gettext_lazy("Kept from becoming criminal cases (防止民转刑)"),
        CASES,
        gettext_lazy(
            "Of the cases accepted in the period, those in which the mediators recorded persons "
            "kept from a criminal case."
        ),
    ),
    Definition(
        "criminal_prevented_persons",
        gettext_lazy("Persons kept from criminal cases"),
        PEOPLE,
        gettext_lazy(
            "The persons the mediators recorded as kept from a criminal case, in the cases "
            "accepted in the period."
        ),
    ),
    Definition(
        "petition_prevented_cases",
        gettext_lazy("Kept from becoming group petitions (防止群体性上访)"),
        CASES,
        gettext_lazy(
            "Of the cases accepted in the period, those in which the mediators recorded persons "
            "kept from a group petition."
        ),
    ),
    Definition(
        "petition_prevented_persons",
        gettext_lazy("Persons kept from group petitions"),
        PEOPLE,
        gettext_lazy(
            "The persons the mediators recorded as kept from a group petition, in the cases "
            "accepted in the period."
        ),
    ),
)


@dataclass(frozen=True)
class MediationFigures:
    """The bureau's counts of the cases registered at the place (or below) in the period."""

    accepted: int
    succeeded: int
    amount: Decimal  # yuan
    criminal_cases: int
    criminal_persons: int
    petition_cases: int
    petition_persons: int
    percent: Decimal | None  # the success rate in per cent to one decimal; None: none accepted

    def values(self) -> dict[str, int | Decimal | None]:
        """Each figure by its definition's code; the rate as the exact share 0-1."""
        share = Decimal(self.succeeded) / self.accepted if self.accepted else None
        return {
            "mediation_accepted": self.accepted,
            "mediation_succeeded": self.succeeded,
            "mediation_success_rate": share,
            "mediation_amount": self.amount,
            "criminal_prevented_cases": self.criminal_cases,
            "criminal_prevented_persons": self.criminal_persons,
            "petition_prevented_cases": self.petition_cases,
            "petition_prevented_persons": self.petition_persons,
        }


def reads_mediation_figures(user: Any, place: Any) -> bool:
    """The one rule every face of the report follows (least privilege)."""
    return bool(user.has_perm("mediation.view_place_statistics", place))


def mediation_figures(user: Any, place: Any, period: Period) -> MediationFigures | None:
    """The place's mediation figures for the period if this user reads them, else None. One
    query (mediation.statistics.statistics)."""
    if not reads_mediation_figures(user, place):
        return None
    table = statistics(start=period.start, end=period.end, place=place)
    return MediationFigures(
        accepted=table.total.accepted,
        succeeded=table.total.succeeded,
        amount=table.total.amount,
        criminal_cases=table.criminal_cases,
        criminal_persons=table.criminal_persons,
        petition_cases=table.petition_cases,
        petition_persons=table.petition_persons,
        percent=table.total.rate,
    )


def mediation_sentence(found: MediationFigures) -> str:
    """The report's sentence on mediation, in the reader's language:
    "人民调解组织受理纠纷3宗，调解成功1宗，成功率33.3%。"."""
    counts = {"accepted": found.accepted, "succeeded": found.succeeded}
    if found.percent is None:
        return (
            _(
                "People's mediation organisations accepted %(accepted)s disputes and mediated "
                "%(succeeded)s successfully."
            )
            % counts
        )
    return _(
        "People's mediation organisations accepted %(accepted)s disputes and mediated "
        "%(succeeded)s successfully, a success rate of %(percent)s%%."
    ) % {**counts, "percent": found.percent}
