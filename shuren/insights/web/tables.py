"""The overview's figures as tables (the primary content; each chart draws one of them), every
number a link to its records with the matching parameters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shuren.cases.choices import Tier
from shuren.cases.metrics import Rate
from shuren.cases.reference import active_categories
from shuren.insights.figures import Counts, Period, Rates
from shuren.insights.overview import Overview
from shuren.insights.web.params import overview_url, records_url

# What each counter's list is called on the records page.
COUNTER_LABELS: dict[str, Promise] = {
    "reported": _("Reported (all)"),
    "counted": _("Matters reported"),
    "rejected": _("Rejected: not a matter"),
    "merged": _("Merged: duplicates"),
    "open": _("Still open"),
    "never_beyond": _("Never sent beyond the subdistrict"),
    "settled": _("Settled"),
    "on_time_known": _("Settled with a deadline"),
    "on_time": _("Settled on time"),
    "followed_up": _("Followed up"),
    "satisfied": _("Satisfied at follow-up"),
    "status_reported": _("Waiting to be accepted"),
    "status_accepted": _("Accepted"),
    "status_in_progress": _("In progress"),
    "status_resolved": _("Resolved, waiting for follow-up"),
    "status_followed_up": _("Followed up"),
    "status_closed": _("Closed"),
    "settled_upto_2": _("Settled on the spot (tiers 1-2)"),
    "settled_upto_3": _("Settled within the community (tiers 1-3)"),
    "settled_upto_4": _("Settled within the subdistrict (tiers 1-4)"),
}
for _tier in Tier:
    COUNTER_LABELS[f"reached_{_tier.value}"] = _tier.label
    COUNTER_LABELS[f"settled_{_tier.value}"] = _tier.label
STATES = (
    "status_reported",
    "status_accepted",
    "status_in_progress",
    "status_resolved",
    "status_followed_up",
    "status_closed",
    "rejected",
    "merged",
)
# The tier metrics and rates: (label, numerator counter, denominator counter, the rate).
RATES: tuple[tuple[Promise, str, str, str], ...] = (
    (_("Settled on the spot (tiers 1-2)"), "settled_upto_2", "settled", "on_the_spot"),
    (
        _("Settled within the community: 小事不出社区"),
        "settled_upto_3",
        "settled",
        "within_community",
    ),
    (
        _("Settled within the subdistrict: 大事不出街道"),
        "settled_upto_4",
        "settled",
        "within_subdistrict",
    ),
    (
        _("Never sent beyond the subdistrict: 矛盾不上交"),
        "never_beyond",
        "counted",
        "never_escalated_out",
    ),
    (_("Settled on time"), "on_time", "on_time_known", "on_time"),
    (_("Satisfied at follow-up"), "satisfied", "followed_up", "satisfaction"),
)


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    cells: list[Cell]
    url: str = ""  # the row's own page (a place's overview)


@dataclass(frozen=True)
class Table:
    key: str
    title: Promise | str
    head: list[Promise | str]
    rows: list[Row]
    chart: dict[str, Any] | None = None
    total: Row | None = None
    note: Promise | str = ""
    wide: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _value(counts: Counts, counter: str) -> int:
    if counter.startswith("settled_upto_"):
        top = int(counter.rsplit("_", 1)[1])
        return sum(counts.get(f"settled_{t}", 0) for t in range(1, top + 1))
    return counts.get(counter, 0)


class Links:
    """The cells of one place and period: a number and the address of its records."""

    def __init__(self, place: int, period: Period) -> None:
        self.place, self.period = place, period

    def cell(
        self, counts: Counts, counter: str, category: str = "", month: dt.date | None = None
    ) -> Cell:
        return Cell(
            str(_value(counts, counter)),
            records_url(self.place, self.period, counter, category, month),
        )

    def rate(self, rate: Rate, denominator: str) -> Cell:
        percent = rate.percent()
        if percent is None:
            return Cell("—")
        return Cell(f"{percent}%", records_url(self.place, self.period, denominator))


def _chart(kind: str, labels: list[str], series: list[tuple[Promise | str, list[int]]]) -> Any:
    return {
        "kind": kind,
        "labels": labels,
        "series": [{"name": str(name), "values": values} for name, values in series],
    }


def tables_of(found: Overview) -> dict[str, Any]:
    links = Links(found.place.pk, found.period)
    overall = found.overall
    tops = [c for c in active_categories() if not c.parent_id]
    category_rows = [
        Row(
            str(c.label),
            [links.cell(found.categories.get(c.code, {}), k, c.code) for k in CATEGORY_COLUMNS],
        )
        for c in tops
    ]
    tables = [
        Table(
            "categories",
            _("Matters by category"),
            [_("Category"), _("Matters reported"), _("Settled"), _("Still open")],
            category_rows,
            _chart(
                "bar",
                [r.label for r in category_rows],
                [
                    (_("Matters reported"), [int(r.cells[0].text) for r in category_rows]),
                    (_("Settled"), [int(r.cells[1].text) for r in category_rows]),
                ],
            ),
            total=Row(str(_("Every category")), [links.cell(overall, k) for k in CATEGORY_COLUMNS]),
        ),
        _single(links, overall, "states", _("Matters by state now"), STATES),
        _single(
            links,
            overall,
            "tiers",
            _("Matters by the highest tier they reached"),
            tuple(f"reached_{t.value}" for t in Tier),
        ),
        _months(links, found),
    ]
    return {
        "headline": [
            (COUNTER_LABELS[k], links.cell(overall, k)) for k in ("counted", "open", "settled")
        ],
        "rates": [
            (
                label,
                links.rate(getattr(found.rates, rate), denominator),
                links.cell(overall, numerator),
                links.cell(overall, denominator),
            )
            for label, numerator, denominator, rate in RATES
        ],
        "tables": tables,
        "children": _children(found),
        "buildings": _buildings(links, found),
    }


CATEGORY_COLUMNS = ("counted", "settled", "open")


def _single(links: Links, counts: Counts, key: str, title: Promise, counters: Any) -> Table:
    rows = [Row(str(COUNTER_LABELS[c]), [links.cell(counts, c)]) for c in counters]
    return Table(
        key,
        title,
        ["", _("Matters")],
        rows,
        _chart(
            "bar", [r.label for r in rows], [(_("Matters"), [_value(counts, c) for c in counters])]
        ),
    )


def _months(links: Links, found: Overview) -> Table:
    rows = []
    for month, counts in found.months.items():
        rows.append(
            Row(
                date_format(month, "YEAR_MONTH_FORMAT"),
                [links.cell(counts, c, month=month) for c in ("counted", "settled")],
            )
        )
    return Table(
        "months",
        _("Month by month"),
        [_("Month"), _("Matters reported"), _("Settled")],
        rows,
        _chart(
            "line",
            [r.label for r in rows],
            [
                (_("Matters reported"), [int(r.cells[0].text) for r in rows]),
                (_("Settled"), [int(r.cells[1].text) for r in rows]),
            ],
        ),
        note=_("Nothing was reported or settled in this period.") if not rows else "",
    )


SIDE_BY_SIDE = ("counted", "open", "settled")
SIDE_RATES = (
    ("on_the_spot", "settled"),
    ("within_community", "settled"),
    ("on_time", "on_time_known"),
    ("satisfaction", "followed_up"),
)


def _side_row(place: Any, period: Period, counts: Counts, rates: Rates, label: str) -> Row:
    links = Links(place.pk, period)
    return Row(
        label,
        [links.cell(counts, c) for c in SIDE_BY_SIDE]
        + [links.rate(getattr(rates, r), d) for r, d in SIDE_RATES],
    )


def _children(found: Overview) -> Table | None:
    if found.children is None:
        return None
    rows = [
        Row(
            c.place.name,
            _side_row(c.place, found.period, c.counts, c.rates, c.place.name).cells,
            url=overview_url(c.place.pk, found.period),
        )
        for c in found.children
    ]
    total = _side_row(found.place, found.period, found.overall, found.rates, "")
    return Table(
        "children",
        _("Side by side"),
        [
            _("Place"),
            _("Matters reported"),
            _("Still open"),
            _("Settled"),
            _("On the spot"),
            _("Within the community"),
            _("Settled on time"),
            _("Satisfied"),
        ],
        rows,
        _chart(
            "bar",
            [r.label for r in rows],
            [
                (_("Matters reported"), [int(r.cells[0].text) for r in rows]),
                (_("Settled"), [int(r.cells[2].text) for r in rows]),
            ],
        ),
        total=Row(str(_("All of %(place)s") % {"place": found.place.name}), total.cells),
        # Matters placed at the place itself lie under no place below: in the total only.
        note=_(
            "Some matters are placed at %(place)s itself, not under a place below: they "
            "count in the total only."
        )
        % {"place": found.place.name}
        if any(found.at_itself.values())
        else "",
        wide=True,
    )


def _buildings(links: Links, found: Overview) -> list[dict[str, Any]] | None:
    if found.buildings is None:
        return None
    return [
        {
            "name": b.place.name,
            "open": b.open,
            "url": records_url(b.place.pk, found.period, "open"),
            "level": 0 if b.open == 0 else 1 if b.open < 3 else 2,
        }
        for b in found.buildings
    ]
