"""Registering an elevator project from the pages: the staff who run projects choose the
stairwell (fixed by ?place= from a place page, or found among the estates and buildings under
their posts, at most 50 at a time) and the project's policy, and one action registers it.

Answers: 302 to the new project; 404 for a place outside the user's posts (as for a missing
id) and for a user who runs no project anywhere; 422 with the form kept when the form or the
rules refuse (a stairwell that already has a project under way names it and links to it)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from shuren.accounts.http import AuthenticatedRequest
from shuren.deliberation import actions
from shuren.deliberation.elevators.choices import CLOSED_STAGES, Electorate
from shuren.deliberation.elevators.models import (
    DEFAULT_MATTER,
    DEFAULT_NOTICE_DAYS,
    ElevatorProject,
    manager_roots,
)
from shuren.deliberation.votes.choices import Matter
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import subtree_q
from shuren.text import InputsForm

CANDIDATES = 50
# The places a search by name looks in: the estates and lanes, their buildings, the stairwells.
NAMED_KINDS = (PlaceKind.ESTATE, PlaceKind.LANE, PlaceKind.BUILDING, PlaceKind.UNIT)
REQUIRED = {"required": gettext_lazy("Please fill this in.")}


class RegisterForm(InputsForm):
    place = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            gettext_lazy("Choose the stairwell again."),
        ),
    )
    title = forms.CharField(
        label=gettext_lazy("Title (optional)"),
        max_length=120,
        required=False,
    )
    electorate = forms.ChoiceField(
        label=gettext_lazy("Who votes"),
        choices=Electorate.choices,
        initial=Electorate.PLACE,
        widget=forms.RadioSelect,
        error_messages=dict.fromkeys(
            ("required", "invalid_choice"), gettext_lazy("Choose whose owners vote.")
        ),
    )
    matter = forms.TypedChoiceField(
        label=gettext_lazy("The owners decide it as Art. 278 matter"),
        choices=[(m.value, f"{m.value}. {m.label}") for m in Matter],
        coerce=int,
        initial=DEFAULT_MATTER,
        error_messages=dict.fromkeys(
            ("required", "invalid_choice"),
            gettext_lazy("Choose one of the nine matters of Art. 278."),
        ),
    )
    notice_days = forms.IntegerField(
        label=gettext_lazy("Days of the public notice"),
        min_value=1,
        max_value=60,
        initial=DEFAULT_NOTICE_DAYS,
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            gettext_lazy("The public notice runs between 1 and 60 days."),
        ),
    )

    def __init__(self, *args: Any, place: Place | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "new-%s")
        super().__init__(*args, **kwargs)
        if place is not None:
            self.fields["title"].widget.attrs["placeholder"] = _(
                "%(place)s: adding an elevator"
            ) % {"place": place.name}
            if place.kind != PlaceKind.UNIT:
                del self.fields["electorate"]  # a building without stairwells: its own owners


def _scope(user: Any) -> Q:
    q = Q(pk__in=[])
    for root in manager_roots(user):
        q |= subtree_q(root)
    return q


def managed_place(user: Any, raw: str) -> Place | None:
    """The place of this id if it lies under one of the user's staff posts (else None)."""
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18:
        return None
    return (
        Place.objects.filter(_scope(user), pk=int(raw))
        .select_related("parent", "parent__parent")
        .first()
    )


def _open_project(place: Any) -> QuerySet[ElevatorProject]:
    """The project under way at the place (a Place, or OuterRef("pk") in a subquery)."""
    return ElevatorProject.objects.filter(place=place).exclude(stage__in=CLOSED_STAGES)


def stairwells() -> Q:
    """The places a project is registered for: a stairwell, or a building without one."""
    units = Place.objects.filter(parent=OuterRef("pk"), kind=PlaceKind.UNIT)
    return Q(kind=PlaceKind.UNIT) | Q(Q(kind=PlaceKind.BUILDING), ~Exists(units))


def find_stairwells(user: Any, q: str, within: Place | None) -> tuple[list[Place], bool]:
    """At most CANDIDATES stairwells under the user's posts (and under `within`), those of the
    estates, buildings and stairwells whose name holds `q`; and whether there were more."""
    found = Place.objects.filter(_scope(user)).filter(stairwells())
    if within is not None:
        found = found.filter(subtree_q(within.path))
    if q:
        named = Place.objects.filter(_scope(user), name__icontains=q, kind__in=NAMED_KINDS)
        match = Q(pk__in=[])
        for path in named.order_by("path").values_list("path", flat=True)[:CANDIDATES]:
            match |= subtree_q(path)
        found = found.filter(match)
    rows = list(
        found.select_related("parent", "parent__parent")
        .annotate(open_project=Subquery(_open_project(OuterRef("pk")).values("pk")[:1]))
        .order_by("path")[: CANDIDATES + 1]
    )
    return rows[:CANDIDATES], len(rows) > CANDIDATES


def place_label(place: Place) -> str:
    """The stairwell with what it is in: 金域蓝湾 · 1栋 · 1栋1单元."""
    names = [place.name]
    parent = place.parent  # both loaded with the place (select_related): no query per row
    if parent is not None and parent.kind in NAMED_KINDS:
        names.insert(0, parent.name)
        grand = parent.parent
        if parent.kind == PlaceKind.BUILDING and grand is not None and grand.kind in NAMED_KINDS:
            names.insert(0, grand.name)
    return " · ".join(names)


def is_stairwell(place: Place) -> bool:
    return place.kind == PlaceKind.UNIT or (
        place.kind == PlaceKind.BUILDING and not place.children.filter(kind=PlaceKind.UNIT).exists()
    )


def _chooser(request: AuthenticatedRequest, under: Place | None) -> dict[str, Any]:
    user = request.user
    q = request.GET.get("q", "").strip()[:50]
    if any(ord(c) < 32 for c in q):
        q = ""
    within = under or managed_place(user, request.GET.get("within", ""))
    context: dict[str, Any] = {"q": q, "within": within}
    if q or within is not None:
        rows, more = find_stairwells(user, q, within)
        context["candidates"] = [(p, place_label(p)) for p in rows]
        context["more"] = more
    else:
        estates = Place.objects.filter(_scope(user), kind__in=(PlaceKind.ESTATE, PlaceKind.LANE))
        found = list(estates.order_by("path").only("pk", "name")[: CANDIDATES + 1])
        context["estates"], context["more"] = found[:CANDIDATES], len(found) > CANDIDATES
    return context


def _refused(form: RegisterForm, exc: ValidationError) -> str:
    form.add_error(None, exc)
    return " ".join(exc.messages)


@login_required
@require_http_methods(["GET", "POST"])
def new(request: AuthenticatedRequest) -> HttpResponse:
    """GET: the chooser, or the form for the stairwell of ?place=; POST: register it."""
    user = request.user
    if not manager_roots(user):
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    raw = source.get("place", "")
    place = managed_place(user, raw)
    if place is None and raw.isascii() and raw.isdigit():
        raise Http404  # out of the user's posts, exactly like a missing id
    status, error = 200, ""
    context: dict[str, Any] = {}
    if request.method == "POST":
        form = RegisterForm(request.POST, place=place)
        if not form.is_valid() or place is None:
            status, error = 422, _("Some of the form is missing or wrong; see below.")
        else:
            data = form.cleaned_data
            try:
                project = actions.create_project(
                    actor=user,
                    place=place,
                    title=data["title"],
                    matter=data["matter"],
                    electorate=data.get("electorate") or Electorate.PLACE,
                    notice_days=data["notice_days"],
                )
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                status, error = 422, _refused(form, exc)
            else:
                messages.success(request, _("The project is registered; the owners are told."))
                return redirect(project.get_absolute_url())
    else:
        form = RegisterForm(initial={"place": place.pk if place else None}, place=place)
    if place is not None and (request.method == "POST" or is_stairwell(place)):
        context = {"place_label": place_label(place), "open_project": _open_project(place).first()}
    elif request.method == "GET":
        # No place yet, or one with stairwells under it (an estate, a building): choose one.
        context = _chooser(request, place)
        place = None
    context |= {"place": place, "form": form, "error": error}
    return render(request, "deliberation/elevators/new.html", context, status=status)
