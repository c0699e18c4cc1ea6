"""The work report as its faces show it (the page, the PDF, the workbook): the place and period
asked for, checked against the reader's scope, and each figure's row with its value, unit,
definition and the link to the records behind it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.insights.figures import Figures, Period, PeriodError, figures
from shuren.insights.report import DEFINITIONS, NOT_YET, RATE_OF, paragraph, rate_of, values
from shuren.insights.report_mediation import (
    MEDIATION_DEFINITIONS,
    MediationFigures,
    mediation_figures,
    mediation_sentence,
)
from shuren.insights.rules import readable_place
from shuren.places.models import Place
from shuren.text import InputsForm
from shuren.workdays.calendar import SHANGHAI


class ReportForm(InputsForm):
    """The report's question: which place (its id) and which days; each may be left out."""

    place = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    start = forms.DateField(required=False, label=gettext_lazy("From"))
    end = forms.DateField(required=False, label=gettext_lazy("To"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate(timezone=SHANGHAI)
        start = data.get("start") or today.replace(month=1, day=1)
        end = data.get("end") or today
        try:
            data["period"] = Period(start, end)
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error
        return data


def figures_place(user: Any, place_id: int | None) -> Place:
    """The place asked for (or the user's outermost) if this user reads its figures, else 404."""
    place = readable_place(user, place_id)
    if place is None:
        raise Http404
    return place


@dataclass(frozen=True)
class Row:
    """One figure of the table."""

    code: str
    label: str
    value: str  # as shown: "838", "83.3%", or "" when not recorded / nothing to count
    raw: int | float | Decimal | None  # for the workbook: the count, the rate 0-1, yuan, None
    detail: str  # a rate's numerator/denominator ("5/6"), else ""
    unit: str
    rule: str
    link: str | None  # the records page for this figure, when it has records behind it
    missing: str  # why there is no value ("not yet recorded", "nothing to count"), else ""


def records_link(place: Place, period: Period, counter: str, category: str = "") -> str:
    """The records page listing the matters a counter counts (insights/records.py)."""
    base = reverse("insights:records")
    params = {
        "place": place.pk,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "counter": counter,
    }
    if category:
        params["category"] = category
    return f"{base}?{urlencode(params)}"


def rows(found: Figures, place: Place) -> list[Row]:
    """The table's rows in the definitions' order."""
    counts = values(found)
    out = []
    for d in DEFINITIONS:
        value = counts[d.code]
        detail = shown = missing = ""
        raw: int | float | None = None
        if d.code in NOT_YET:
            missing = _("not yet recorded")
        elif d.code in RATE_OF:
            rate = rate_of(found, d.code)
            detail = f"{rate.numerator}/{rate.denominator}"
            percent = rate.percent()
            if percent is None:
                missing = _("nothing to count")
            else:
                shown = f"{percent}%"
                raw = float(rate.numerator) / rate.denominator
        else:
            assert isinstance(value, int)
            shown, raw = str(value), value
        link = (
            records_link(place, found.period, d.counter, d.category)
            if d.counter and not missing
            else None
        )
        out.append(
            Row(d.code, str(d.label), shown, raw, detail, str(d.unit), str(d.rule), link, missing)
        )
    return out


def mediation_rows(found: MediationFigures) -> list[Row]:
    """The mediation block's rows (no records page behind them: a case is its organisation's)."""
    counts = found.values()
    out = []
    for d in MEDIATION_DEFINITIONS:
        value = counts[d.code]
        detail = shown = missing = ""
        raw: int | float | Decimal | None = None
        if d.code == "mediation_success_rate":
            detail = f"{found.succeeded}/{found.accepted}"
            if found.percent is None:
                missing = _("nothing to count")
            else:
                shown, raw = f"{found.percent}%", float(found.succeeded) / found.accepted
        elif d.code == "mediation_amount":
            assert isinstance(value, Decimal)
            shown, raw = f"{value:.2f}", value
        else:
            assert isinstance(value, int)
            shown, raw = str(value), value
        out.append(
            Row(d.code, str(d.label), shown, raw, detail, str(d.unit), str(d.rule), None, missing)
        )
    return out


@dataclass(frozen=True)
class Report:
    place: Place
    period: Period
    figures: Figures
    paragraph: str
    rows: list[Row]
    # The mediation block, only for its readers (report_mediation.py); None: shown nowhere.
    mediation: MediationFigures | None = None
    mediation_sentence: str = ""
    mediation_rows: list[Row] | None = None

    def query(self) -> str:
        """The question as a query string, for the downloads' links."""
        return urlencode(
            {
                "place": self.place.pk,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            }
        )

    def file_stem(self) -> str:
        return f"shuren-report-{self.place.pk}-{self.period.start}-{self.period.end}"


def report_of(user: Any, form: ReportForm) -> Report:
    """The report the valid form asks for, within the user's scope (else 404)."""
    place = figures_place(user, form.cleaned_data.get("place"))
    period: Period = form.cleaned_data["period"]
    found = figures(place.path, period)
    mediation = mediation_figures(user, place, period)
    return Report(
        place,
        period,
        found,
        paragraph(found, place.name),
        rows(found, place),
        mediation,
        mediation_sentence(mediation) if mediation else "",
        mediation_rows(mediation) if mediation else None,
    )


def generated_at() -> dt.datetime:
    return timezone.localtime(timezone.now(), SHANGHAI)
