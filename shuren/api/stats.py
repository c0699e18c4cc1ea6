"""The figures of a place and period (/api/v1/stats/…): the work report, within the caller's
scope: a place they may not read figures of answers 404 like a missing one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema

from shuren.api.auth import ApiRequest
from shuren.api.errors import ApiError
from shuren.api.inputs import In
from shuren.api.schemas import ERRORS, ErrorOut
from shuren.insights.figures import Period, PeriodError, figures
from shuren.insights.report import DEFINITIONS, values
from shuren.insights.report_mediation import MEDIATION_RULE, mediation_figures
from shuren.insights.rules import readable_place
from shuren.places.models import Place

router = Router(tags=["stats"])


class ReportIn(In):
    place: int = Field(description="A place's id")
    start: dt.date = Field(description="First day, YYYY-MM-DD (Asia/Shanghai)")
    end: dt.date = Field(description="Last day, YYYY-MM-DD, inclusive")


class DefinitionOut(Schema):
    label: str
    unit: str
    definition: str


class MediationFiguresOut(Schema):
    """The justice bureau's mediation figures of the place (shuren/mediation/statistics.py)."""

    accepted: int = Field(description="Cases registered in the period (受理)")
    succeeded: int = Field(description="Of those, settled by an agreement (调解成功)")
    success_rate: float | None = Field(description="succeeded / accepted, 0-1; null: none")
    amount: str = Field(description="Yuan the accepted cases involve, two decimals")
    criminal_cases: int = Field(description="Cases kept from turning criminal (防止民转刑)")
    criminal_persons: int
    petition_cases: int = Field(description="Cases kept from a group petition (防止群体性上访)")
    petition_persons: int
    definition: str


class ReportOut(Schema):
    place: int
    start: dt.date
    end: dt.date
    neighbour_disputes: int
    sanitation: int
    security: int
    facilities: int
    safety: int
    parking: int
    elevator_stairwells: int = Field(
        description="Stairwells whose elevator retrofit entered service in the period"
    )
    elevator_estates: int = Field(description="The estates of those stairwells, each once")
    leader_teams: int
    leaders: int
    party_member_leaders: int
    on_the_spot_rate: float | None = Field(description="0-1; null when nothing to count")
    within_community_rate: float | None
    within_subdistrict_rate: float | None
    never_escalated_out_rate: float | None
    on_time_rate: float | None
    satisfaction_rate: float | None
    definitions: dict[str, DefinitionOut]
    mediation: MediationFiguresOut | None = Field(
        description="The mediation figures of the place: for those who read them (the "
        "subdistrict's and the communities' staff); null for other readers of the report"
    )


def figures_place(user: Any, place_id: int) -> Place:
    """The place, if this user reads its figures; otherwise 404, as for a missing id."""
    place = readable_place(user, place_id)
    if place is None:
        raise Http404
    return place


@router.get(
    "/stats/report",
    response={200: ReportOut, 400: ErrorOut, **ERRORS},
    summary="The work report of a place and period",
)
def work_report(request: ApiRequest, query: Query[ReportIn]) -> dict[str, Any]:
    place = figures_place(request.auth, query.place)
    try:
        period = Period(query.start, query.end)
        found = figures(place.path, period)
    except PeriodError as error:
        raise ApiError(400, "bad_period", str(error)) from error
    out: dict[str, Any] = {
        code: (float(value) if value is not None and not isinstance(value, int) else value)
        for code, value in values(found).items()
    }
    out.update(
        mediation=_mediation_figures(request.auth, place, period),
        place=place.pk,
        start=query.start,
        end=query.end,
        definitions={
            d.code: {"label": str(d.label), "unit": str(d.unit), "definition": str(d.rule)}
            for d in DEFINITIONS
        },
    )
    return out


def _mediation_figures(user: Any, place: Place, period: Period) -> dict[str, Any] | None:
    """The place's mediation cases registered in the period, as the bureau counts them; None
    for the report's readers who do not read them (the report page's one rule)."""
    found = mediation_figures(user, place, period)
    if found is None:
        return None
    return {
        "accepted": found.accepted,
        "succeeded": found.succeeded,
        "success_rate": found.succeeded / found.accepted if found.accepted else None,
        "amount": f"{found.amount:.2f}",
        "criminal_cases": found.criminal_cases,
        "criminal_persons": found.criminal_persons,
        "petition_cases": found.petition_cases,
        "petition_persons": found.petition_persons,
        "definition": str(MEDIATION_RULE),
    }
