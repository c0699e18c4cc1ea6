"""What the overview of a place and period shows: its figures by category, month and the places
below it (from figures.py), and an estate's building grid of open matters (from its matters)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr

from shuren.insights.figures import (
    Counts,
    Period,
    Rates,
    by_category,
    by_child_area,
    by_month,
    rates,
    total,
)
from shuren.insights.records import records
from shuren.insights.tallies import AREA_LEN
from shuren.places.models import Place
from shuren.places.paths import STEP_LEN

# The first day of 创熟 in Guicheng: "all" periods start here.
SINCE = dt.date(2011, 8, 1)


@dataclass(frozen=True)
class Child:
    place: Place
    counts: Counts
    rates: Rates


@dataclass(frozen=True)
class Building:
    place: Place
    open: int


@dataclass(frozen=True)
class Overview:
    place: Place
    period: Period
    categories: dict[str, Counts]
    overall: Counts
    rates: Rates
    months: dict[dt.date, Counts]
    # The places one level below, side by side (a subdistrict's communities, a community's
    # estates, lanes and streets); None below the estate level, where the tallies end.
    children: list[Child] | None
    at_itself: Counts  # matters placed at the place itself, not below it
    # An estate's (lane's, street's) buildings with their open matters; None elsewhere.
    buildings: list[Building] | None
    open_at_itself: int


def overview(user: Any, place: Place, period: Period) -> Overview:
    categories = by_category(place.path, period)
    overall = total(categories.values())
    children: list[Child] | None = None
    at_itself: Counts = {}
    if len(place.path) < AREA_LEN:
        by_child = by_child_area(place.path, period)
        at_itself = by_child.get(place.path, {})
        children = [
            Child(child, by_child.get(child.path, {}), rates(by_child.get(child.path, {})))
            for child in _children(user, place)
        ]
    buildings: list[Building] | None = None
    open_at_itself = 0
    if len(place.path) == AREA_LEN:
        buildings, open_at_itself = building_grid(user, place, period)
    return Overview(
        place=place,
        period=period,
        categories=categories,
        overall=overall,
        rates=rates(overall),
        months=by_month(place.path, period),
        children=children,
        at_itself=at_itself,
        buildings=buildings,
        open_at_itself=open_at_itself,
    )


def _children(user: Any, place: Place) -> list[Place]:
    return list(Place.objects.visible_to(user).filter(parent=place).order_by("path"))


def building_grid(user: Any, place: Place, period: Period) -> tuple[list[Building], int]:
    """Each building under the estate with its open matters reported in the period (those the
    viewer reads: the records their cell links to), counted in one GROUP BY on the path cut at
    the building; and those placed at the estate itself."""
    cut = len(place.path) + STEP_LEN
    rows = (
        records(user, place.path, period, "open")
        .order_by()
        .annotate(building=Substr("place_path", 1, cut))
        .values("building")
        .annotate(n=Count("pk"))
    )
    counts = {row["building"]: row["n"] for row in rows}
    buildings = [Building(b, counts.get(b.path, 0)) for b in _children(user, place)]
    return buildings, counts.get(place.path, 0)
