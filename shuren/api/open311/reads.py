"""The requests as Open311 reads them: public categories only, no personal information.

What a read shows of a matter: its number, category, place (the tree's names, never a flat),
status, the kind of its latest step, the team or tier handling it and its dates. The
description is shown only for requests a partner filed through Open311 (it was written for a
public channel), with phone and ID numbers masked; a resident's own words never leave here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from shuren.access.masking import mask_text
from shuren.api.open311.lookup import param, public_services, within
from shuren.api.open311.render import Refusal
from shuren.cases.choices import OPEN_STATUSES, Channel, EventKind, Tier
from shuren.cases.models import Case, CaseEvent
from shuren.places.models import Place
from shuren.places.paths import ancestor_paths

MAX_SPAN = dt.timedelta(days=90)
MAX_PAGE_SIZE = 1000


def when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def public_requests(area: list[Place]) -> QuerySet[Case]:
    latest = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at", "-pk")
    return (
        Case.objects.filter(within(area), category__in=public_services())
        .select_related("category", "place", "assignee_team")
        .annotate(latest_kind=Subquery(latest.values("kind")[:1]))
        .order_by("-reported_at", "-pk")
    )


def _moment(data: Any, name: str) -> dt.datetime | None:
    text = param(data, name, 40)
    if not text:
        return None
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise Refusal(400, _("%(name)s is not an ISO 8601 date and time.") % {"name": name})
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _positive(data: Any, name: str, default: int, most: int) -> int:
    text = param(data, name, 10)
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise Refusal(
            400,
            _("%(name)s must be a whole number from 1 to %(most)d.") % {"name": name, "most": most},
        )
    return int(text)


def _span(start: dt.datetime | None, end: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
    """The dates asked for; a missing end is 90 days after the start, a missing start 90 days
    before the end, and neither the last 90 days."""
    if start is not None:
        return start, end or start + MAX_SPAN
    end = end or timezone.now()
    return end - MAX_SPAN, end


def filtered(requests: QuerySet[Case], data: Any) -> QuerySet[Case]:
    """GET requests' filters: service_request_id (overrides the rest), service_code, the
    dates (at most 90 days; the last 90 by default), status; then page and page_size."""
    page = _positive(data, "page", 1, 10**6)
    size = _positive(data, "page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    ids = [i.strip() for i in param(data, "service_request_id").split(",") if i.strip()]
    if ids:
        requests = requests.filter(number__in=ids[:MAX_PAGE_SIZE])
    else:
        codes = [c.strip() for c in param(data, "service_code").split(",") if c.strip()]
        if codes:
            known = set(public_services().filter(code__in=codes).values_list("code", flat=True))
            unknown = [c for c in codes if c not in known]
            if unknown:
                raise Refusal(404, _("There is no service %(code)s here.") % {"code": unknown[0]})
            requests = requests.filter(category__code__in=codes)
        start, end = _span(_moment(data, "start_date"), _moment(data, "end_date"))
        if end < start:
            raise Refusal(400, _("end_date is before start_date."))
        if end - start > MAX_SPAN:
            raise Refusal(400, _("start_date and end_date may span 90 days at most."))
        requests = requests.filter(reported_at__gte=start, reported_at__lte=end)
        statuses = {s.strip() for s in param(data, "status").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Refusal(400, _("status is open or closed."))
        if statuses == {"open"}:
            requests = requests.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            requests = requests.exclude(status__in=OPEN_STATUSES)
    return requests[(page - 1) * size : page * size]


def rows(cases: list[Case]) -> list[dict[str, Any]]:
    """The cases as the spec's request objects, their places named in one query."""
    paths = {p for case in cases for p in ancestor_paths(case.place.path, include_self=False)}
    names = dict(Place.objects.filter(path__in=paths).values_list("path", "name"))
    return [_row(case, names) for case in cases]


def _row(case: Case, names: dict[str, str]) -> dict[str, Any]:
    place = case.place
    above = [names[p] for p in ancestor_paths(place.path, include_self=False) if p in names]
    kind = getattr(case, "latest_kind", "") or ""
    open_ = case.status in OPEN_STATUSES
    return {
        "service_request_id": case.number,
        "status": "open" if open_ else "closed",
        "status_notes": str(EventKind(kind).label) if kind in EventKind.values else "",
        "service_name": case.category.label,
        "service_code": str(case.category.code),
        "description": mask_text(case.description) if case.channel == Channel.OPEN311 else "",
        "agency_responsible": (
            case.assignee_team.name if case.assignee_team else str(Tier(case.current_tier).label)
        ),
        "service_notice": "",
        "requested_datetime": when(case.reported_at),
        "updated_datetime": when(case.updated_at),
        "expected_datetime": when(case.resolve_due) if open_ else "",
        "address": place.address or " ".join([*above, place.name]),
        "address_id": place.code,
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }
