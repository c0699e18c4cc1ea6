"""The elevator lists: the projects a user may read (staff: those they run; owners: their
stairwell's), and the subdistrict view counting stairwells and estates by stage."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.deliberation.elevators.choices import Stage
from shuren.deliberation.elevators.models import ElevatorProject, manager_roots
from shuren.deliberation.elevators.queries import by_community, stage_counts
from shuren.places.models import Place

PAGE = 200


@login_required
@require_GET
def elevators(request: AuthenticatedRequest) -> HttpResponse:
    """Projects under way first (by stage, furthest along first), then those in service."""
    stage = request.GET.get("stage", "")
    projects = ElevatorProject.objects.visible_to(request.user).select_related("place", "estate")
    if stage in Stage.values:
        projects = projects.filter(stage=stage)
    else:
        stage = ""
    rows = list(projects.order_by("-stage_changed_at", "-pk")[:PAGE])
    return render(
        request,
        "deliberation/elevators/list.html",
        {
            "projects": rows,
            "stage": stage,
            "stages": Stage.choices,
            "overview": bool(manager_roots(request.user)),
        },
    )


@login_required
@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """Stairwells and estates by stage for the staff's place (the subdistrict for its staff, a
    community for its staff); ?place= picks one of the places under their posts."""
    roots = manager_roots(request.user)
    if not roots:
        raise Http404
    places = {p.pk: p for p in Place.objects.filter(path__in=roots).order_by("path")}
    raw = request.GET.get("place", "")
    place = places.get(int(raw)) if raw.isdigit() and len(raw) < 19 else None
    if place is None:
        under = (
            Place.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
        )
        if under is not None and any(under.path.startswith(r) for r in roots):
            place = under
        elif raw:
            raise Http404
        else:
            place = next(iter(places.values()))
    counts = stage_counts(place.path)
    return render(
        request,
        "deliberation/elevators/overview.html",
        {
            "place": place,
            "counts": counts,
            "communities": by_community(place.path),
            # Stairwells with a live project (in service or under way): the stopped are apart.
            "total": sum(c.stairwells for c in counts if c.stage != Stage.STOPPED),
        },
    )
