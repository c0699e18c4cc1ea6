"""The query parameters of the insights pages (place, period, counter, category, month), read
strictly: a bad one is a BadParams with words for the reader (a 400 page), never a 500."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.cases.reference import active_categories
from shuren.insights.figures import MAX_DAYS, Period
from shuren.insights.overview import SINCE
from shuren.insights.records import RECORDED

# Days outside these years are no period anyone keeps records of (and keep date arithmetic
# far from its limits).
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
MAX_ID = 2**31 - 1
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class BadParams(ValueError):
    """A parameter that cannot be read; the message says which and why."""


def place_id(params: QueryDict, *, required: bool) -> int | None:
    raw = params.get("place", "")
    if not raw:
        if required:
            raise BadParams(_("Say which place: the address has no place."))
        return None
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
        raise BadParams(_("The place in the address is not a place number."))
    return int(raw)


def _day(params: QueryDict, name: str, default: dt.date, label: str) -> dt.date:
    raw = params.get(name, "")
    if not raw:
        return default
    try:
        day = dt.date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else None
    except ValueError:
        day = None
    if day is None:
        raise BadParams(_("The %(which)s is not a date like 2026-03-31.") % {"which": label})
    if not FIRST_DAY <= day <= LAST_DAY:
        raise BadParams(
            _("The %(which)s must lie between %(first)s and %(last)s.")
            % {"which": label, "first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
        )
    return day


def today() -> dt.date:
    return timezone.localdate()


def period(params: QueryDict) -> Period:
    """The period asked for; by default this year so far."""
    now = today()
    start = _day(params, "start", now.replace(month=1, day=1), _("first day"))
    end = _day(params, "end", now, _("last day"))
    if end < start:
        raise BadParams(_("The period ends before it starts: the last day is before the first."))
    if (end - start).days > MAX_DAYS:
        raise BadParams(_("The period is longer than thirty years."))
    return Period(start, end)


def counter(params: QueryDict) -> str:
    raw = params.get("counter", "")
    if raw not in RECORDED:
        raise BadParams(_("The address does not say which figure's records to list."))
    return raw


def category(params: QueryDict) -> tuple[str, Any]:
    """A top-level category's code and the category, or ("", None) for every category."""
    raw = params.get("category", "")
    if not raw:
        return "", None
    found = next((c for c in active_categories() if c.code == raw and not c.parent_id), None)
    if found is None:
        raise BadParams(_("There is no such category."))
    return raw, found


def month(params: QueryDict) -> dt.date | None:
    raw = params.get("month", "")
    if not raw:
        return None
    match = MONTH.match(raw)
    if not match or not 1 <= int(match[2]) <= 12 or not 2000 <= int(match[1]) <= 2100:
        raise BadParams(_("The month is not a month like 2026-03."))
    return dt.date(int(match[1]), int(match[2]), 1)


@dataclass(frozen=True)
class Choice:
    label: str
    start: dt.date
    end: dt.date
    current: bool


def quick_choices(chosen: Period) -> list[Choice]:
    """This month, this year, the last 12 months, and everything since 创熟 began."""
    now = today()
    twelve = (now.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for _month in range(10):
        twelve = (twelve - dt.timedelta(days=1)).replace(day=1)
    options = [
        (_("This month"), now.replace(day=1)),
        (_("This year"), now.replace(month=1, day=1)),
        (_("Last 12 months"), twelve),
        (_("Since August 2011"), SINCE),
    ]
    return [
        Choice(label, start, now, (start, now) == (chosen.start, chosen.end))
        for label, start in options
    ]


def records_url(
    place: int, period: Period, counter: str, category: str = "", month: dt.date | None = None
) -> str:
    """The records page's address for one figure (its parameters as the work report's)."""
    query = {
        "place": place,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "counter": counter,
    }
    if category:
        query["category"] = category
    if month is not None:
        query["month"] = month.strftime("%Y-%m")
    return f"{reverse('insights:records')}?{urlencode(query)}"


def overview_url(place: int, period: Period) -> str:
    query = {"place": place, "start": period.start.isoformat(), "end": period.end.isoformat()}
    return f"{reverse('insights:overview')}?{urlencode(query)}"
