"""The good-governance scorecard of a community: its estates, lanes and streets side by side by
the article's seven marks, each with its rule in words, ranked by the marks met."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.insights.rules import figure_roots
from shuren.insights.scorecard import MARKS, Card, Mark, State, rank
from shuren.insights.scorecard_counts import community_units
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import subtree_q
from shuren.text import InputsForm
from shuren.workdays.calendar import SHANGHAI


class ScorecardForm(InputsForm):
    place = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


def communities_of(user: Any) -> list[Place]:
    """The communities whose figures this user reads (theirs, or each of their subdistrict's)."""
    q = None
    for root in figure_roots(user):
        here = subtree_q(root)
        q = here if q is None else q | here
    if q is None:
        return []
    return list(Place.objects.filter(q, kind=PlaceKind.COMMUNITY).order_by("path"))


def _community(user: Any, place_id: int | None, mine: list[Place]) -> Place:
    """The community asked for (or the user's first) if they read its figures; else 404."""
    if place_id is None:
        if not mine:
            raise Http404
        return mine[0]
    found = next((c for c in mine if c.pk == place_id), None)
    if found is None:  # another community, not a community, or no such place: all alike
        raise Http404
    return found


@dataclass(frozen=True)
class Shown:
    """A mark as the page says it."""

    label: str
    state: str
    text: str


def _said(mark: Mark) -> str:
    n = mark.numbers
    if mark.state == State.NOT_RECORDED:
        return _("not yet recorded")
    if mark.state == State.NO_COMPANY:
        return _("no property company")
    words = {
        "party": lambda: (
            _("%(groups)s party groups, %(members)s party-member leaders")
            % {"groups": n[0], "members": n[1]}
        ),
        "leaders": lambda: _("%(led)s of %(all)s buildings") % {"led": n[0], "all": n[1]},
        "governance": lambda: (
            _("%(staffed)s of %(all)s teams staffed") % {"staffed": n[0], "all": n[1]}
        ),
        "care": lambda: (
            _("%(members)s members in %(teams)s associations") % {"members": n[0], "teams": n[1]}
        ),
        "company": lambda: (
            _("%(settled)s settled; on time %(on_time)s/%(known)s; satisfied %(sat)s/%(asked)s")
            % {"settled": n[0], "on_time": n[1], "known": n[2], "sat": n[3], "asked": n[4]}
        ),
    }
    return str(words[mark.code]())


def _shown(card: Card) -> list[Shown]:
    return [
        Shown(str(d.label), str(m.state), _said(m)) for d, m in zip(MARKS, card.marks, strict=True)
    ]


@login_required
@require_GET
def scorecard_page(request: AuthenticatedRequest) -> HttpResponse:
    form = ScorecardForm(request.GET)
    mine = communities_of(request.user)
    if not form.is_valid():
        if not mine:
            raise Http404
        return render(
            request, "insights/scorecard.html", {"form": form, "communities": mine}, status=400
        )
    community = _community(request.user, form.cleaned_data.get("place"), mine)
    on = timezone.localdate(timezone=SHANGHAI)
    units = community_units(community, on)
    cards = rank([counts for _unit, counts in units])
    lines = [(card, _shown(card)) for card in cards]
    return render(
        request,
        "insights/scorecard.html",
        {
            "form": form,
            "community": community,
            "communities": mine,
            "marks": MARKS,
            "lines": lines,
            "on": on,
        },
    )
