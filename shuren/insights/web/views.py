"""The overview of a place and period (its figures as tables with charts, every number a link)
and the records page each number links to (the matters it counts, within the viewer's scope)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.cases.choices import Status
from shuren.cases.inbox.queries import page_rows
from shuren.cases.web.case_page import STATUS_TONE
from shuren.insights.figures import Period
from shuren.insights.overview import overview
from shuren.insights.records import month_within, records
from shuren.insights.rules import figure_roots, readable_place
from shuren.insights.web import params as read
from shuren.insights.web.tables import COUNTER_LABELS, tables_of
from shuren.places.models import Place
from shuren.places.queries import place_chains

PAGE_SIZE = 25


def _bad(request: AuthenticatedRequest, message: str) -> HttpResponse:
    return render(request, "insights/bad_request.html", {"message": message}, status=400)


def _readable(user: Any, place_id: int | None) -> Place:
    """The place asked for, or the user's outermost figure place (their building, community or
    subdistrict), if they read its figures; else 404."""
    place = readable_place(user, place_id)
    if place is None:
        raise Http404
    return place


@login_required
@require_GET
def overview_page(request: AuthenticatedRequest) -> HttpResponse:
    try:
        wanted = read.place_id(request.GET, required=False)
    except read.BadParams as error:
        # Someone who reads no figures is answered as for a missing place, whatever they sent.
        if not figure_roots(request.user):
            raise Http404 from error
        return _bad(request, str(error))
    place = _readable(request.user, wanted)
    try:
        chosen = read.period(request.GET)
    except read.BadParams as error:
        return _bad(request, str(error))
    found = overview(request.user, place, chosen)
    parent = place.parent if place.parent_id else None
    up = (
        read.overview_url(parent.pk, chosen)
        if parent is not None and request.user.has_perm("insights.view_figures", parent)
        else ""
    )
    return render(
        request,
        "insights/overview.html",
        {
            "place": place,
            "period": chosen,
            "choices": read.quick_choices(chosen),
            "up": up,
            "parent": parent,
            **tables_of(found),
        },
    )


@login_required
@require_GET
def records_page(request: AuthenticatedRequest) -> HttpResponse:
    try:
        wanted = read.place_id(request.GET, required=True)
    except read.BadParams as error:
        if not figure_roots(request.user):
            raise Http404 from error
        return _bad(request, str(error))
    assert wanted is not None
    place = _readable(request.user, wanted)
    try:
        chosen = read.period(request.GET)
        counter = read.counter(request.GET)
        code, category = read.category(request.GET)
        month = read.month(request.GET)
    except read.BadParams as error:
        return _bad(request, str(error))
    within: Period | None = chosen
    if month is not None:
        within = month_within(chosen, month)
    if within is None:
        return _bad(request, _("The month lies outside the period."))
    cases = records(request.user, place.path, within, counter, code)
    count = cases.count()
    pages = max(1, -(-count // PAGE_SIZE))
    number = _page_number(request.GET.get("page", ""), pages)
    ids = list(cases.values_list("pk", flat=True)[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    rows = page_rows(ids)
    chains = place_chains({case.place_path for case in rows})
    detail = reverse("cases:detail", args=[0]).removesuffix("0/")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "insights/records.html",
        {
            "place": place,
            "period": within,
            "counter_label": COUNTER_LABELS.get(counter, counter),
            "category": category,
            "month": month,
            "count": count,
            "rows": [
                {
                    "case": case,
                    "url": f"{detail}{case.pk}/",
                    "place": chains.get(case.place_path, ""),
                    "status": Status(case.status).label,
                    "tone": STATUS_TONE.get(case.status, "new"),
                }
                for case in rows
            ],
            "number": number,
            "pages": pages,
            "query": query.urlencode(),
            "overview": read.overview_url(place.pk, chosen),
        },
    )


def _page_number(raw: str, pages: int) -> int:
    """The page asked for, within 1..pages (anything unreadable: the first)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6:
        return 1
    return min(max(1, int(raw)), pages)
