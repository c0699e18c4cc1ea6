"""The mediation pages other than a case's: the organisation's register (登记台账) with its time
limits, registering a dispute, and the monthly statistics on screen and as a workbook. A user who
mediates for no organisation (or reads no statistics) gets 404, as for a page that is not there."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shuren.access.context import standing_of
from shuren.accounts.http import AuthenticatedRequest
from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.mediation import actions
from shuren.mediation.models import ORGANISATION_KINDS, Mediation, organisations_of
from shuren.mediation.rules import statistics_roots
from shuren.mediation.statistics import month_bounds, statistics
from shuren.mediation.web.forms import RegisterFilterForm, RegisterForm, StatisticsForm
from shuren.mediation.web.tables import DEFINITIONS, lines, prevention, statistics_xlsx
from shuren.people.models import Team
from shuren.people.roles import Role
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import subtree_q

PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _organisations(user: Any) -> list[Team]:
    ids = organisations_of(user)
    if not ids:
        raise Http404
    return list(Team.objects.filter(pk__in=sorted(ids)).order_by("name", "pk"))


@login_required
@require_GET
def register(request: AuthenticatedRequest) -> HttpResponse:
    """登记台账: the cases of the user's organisations, newest first, filterable by status."""
    organisations = _organisations(request.user)
    form = RegisterFilterForm(request.GET)
    wanted = form.status_filter()
    cases = Mediation.objects.visible_to(request.user).select_related("organisation")
    if wanted == "open":
        cases = cases.open()
    elif wanted:
        cases = cases.filter(status=wanted)
    page = Paginator(cases.order_by("-registered_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    rows = []
    for m in page.object_list:
        left = m.days_left(today) if m.is_open else None
        rows.append({"m": m, "days_left": left, "days_over": -left if left and left < 0 else 0})
    return render(
        request,
        "mediation/register.html",
        {
            "organisations": organisations,
            "form": form,
            "page": page,
            "rows": rows,
            "wanted": wanted,
        },
    )


def _places(user: Any) -> list[Place]:
    """Where the user's organisations mediate: the communities of their 调解员 posts and the
    estates, lanes and streets in them."""
    roots = sorted(
        {
            p.place_path
            for p in standing_of(user).posts
            if p.role == Role.TIAOJIEYUAN and p.place_path
        }
    )
    if not roots:
        return []
    q = Q()
    for root in roots:
        q |= subtree_q(root)
    kinds = (PlaceKind.COMMUNITY, PlaceKind.ESTATE, PlaceKind.LANE, PlaceKind.STREET)
    return list(Place.objects.filter(q, kind__in=kinds).only("pk", "name", "path").order_by("path"))


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedRequest) -> HttpResponse:
    """登记 a dispute: one action; a hidden key per form render makes a double submit return
    the case already registered."""
    user = request.user
    organisations = _organisations(user)
    places = _places(user)
    choices = {
        "organisations": [(t.pk, t.name) for t in organisations],
        "places": [(p.pk, p.name) for p in places],
    }
    status = 200
    error = ""
    if request.method == "POST":
        form = RegisterForm(request.POST, **choices)
        if form.is_valid():
            data = form.cleaned_data
            team = next(t for t in organisations if t.pk == data["organisation"])
            place = next(p for p in places if p.pk == data["place"])
            try:
                m = actions.register_mediation(
                    actor=user,
                    organisation=team,
                    place=place,
                    source=data["source"],
                    referrer=data["referrer"],
                    dispute_type=data["dispute_type"],
                    title=data["title"],
                    summary=data["summary"],
                    amount=data["amount"] or 0,
                    parties=form.parties(),
                    idempotency_key=data["idempotency_key"] or None,
                )
            except PermissionDenied:
                status, error = (
                    403,
                    _("Only the mediators of this organisation register its cases."),
                )
            except ValidationError as exc:
                status, error = 422, " ".join(exc.messages)
                form.add_error(None, exc)
            else:
                messages.success(request, _("Registered. The 30-day time limit has started."))
                return redirect(m.get_absolute_url())
        else:
            status, error = 422, _("Some of the form is missing or wrong; see below.")
    else:
        form = RegisterForm(initial={"idempotency_key": uuid.uuid4().hex}, **choices)
    return render(request, "mediation/new.html", {"form": form, "error": error}, status=status)


# --- Statistics ----------------------------------------------------------------------------------


def _scopes(user: Any) -> dict[str, tuple[str, Team | Place]]:
    """The organisations and places whose statistics this user reads, by the form's value."""
    roots = statistics_roots(user)
    q = Q(pk__in=sorted(organisations_of(user)))
    for root in roots:
        q |= subtree_q(root, "place__path")
    teams = Team.objects.filter(q, kind__in=ORGANISATION_KINDS).select_related("place")
    found: dict[str, tuple[str, Team | Place]] = {}
    for team in teams.order_by("name", "pk"):
        if user.has_perm("mediation.view_organisation_statistics", team):
            found[f"o{team.pk}"] = (team.name, team)
    if roots:
        places = Q(path__in=roots)
        for root in roots:
            places |= subtree_q(root) & Q(kind=PlaceKind.COMMUNITY)
        for place in Place.objects.filter(places).order_by("path"):
            if user.has_perm("mediation.view_place_statistics", place):
                found[f"p{place.pk}"] = (place.name, place)
    if not found:
        raise Http404
    return found


def _table(request: AuthenticatedRequest) -> dict[str, Any]:
    scopes = _scopes(request.user)
    form = StatisticsForm(request.GET, scopes=[(k, name) for k, (name, _o) in scopes.items()])
    (year, month), key = form.chosen(timezone.localdate())
    name, subject = scopes[key]
    start, end = month_bounds(year, month)
    if isinstance(subject, Team):
        table = statistics(start=start, end=end, organisation=subject)
    else:
        table = statistics(start=start, end=end, place=subject)
    return {
        "form": form,
        "of": name,
        "key": key,
        "month": f"{year:04d}-{month:02d}",
        "start": start,
        "end": end,
        "table": table,
        "subject": subject,
        "lines": lines(table),
        "prevention": prevention(table),
        "definitions": DEFINITIONS,
    }


@login_required
@require_GET
def statistics_page(request: AuthenticatedRequest) -> HttpResponse:
    """调解统计: one month of an organisation's or a place's cases, as the bureau asks for them."""
    context = _table(request)
    status = 200 if context["form"].is_valid() else 400
    return render(request, "mediation/statistics.html", context, status=status)


@login_required
@require_GET
def statistics_download(request: AuthenticatedRequest) -> HttpResponse:
    """The same table as an Excel workbook (the export is audited)."""
    context = _table(request)
    if not context["form"].is_valid():
        return render(request, "mediation/statistics.html", context, status=400)
    user = request.user
    who = user.person.name if user.person else user.get_username()
    content = statistics_xlsx(
        context["table"],
        of=context["of"],
        start=context["start"],
        end=context["end"],
        who=who,
        at=timezone.localtime(),
    )
    record(
        Kind.EXPORT,
        request=request,
        target=context["subject"],
        detail={
            "file": "mediation_statistics.xlsx",
            "of": context["key"],
            "month": context["month"],
        },
    )
    response = HttpResponse(content, content_type=XLSX)
    name = f"mediation-statistics-{context['month']}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
