"""Whom a meeting over a place may invite, and over which places a user may call one: the
post holders of the place and of the community above it, the members of the teams homed there,
and the organisations (teams) of the place, its property companies among them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from shuren.deliberation.meetings.models import organiser_roots
from shuren.people.models import Membership, Person, Post, Team, active_q
from shuren.people.roles import ADMIN_ROLES
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import ancestor_paths, subtree_q

# Meetings are called over a community, an estate, a lane or a street (the places where what no
# single party can settle is settled); a building's matters go to its estate's meeting.
MEETING_PLACE_KINDS = (PlaceKind.COMMUNITY, PlaceKind.ESTATE, PlaceKind.LANE, PlaceKind.STREET)
MAX_PLACES = 500
COMMUNITY_DEPTH = 2


def meeting_places(user: Any) -> list[Place]:
    """The places over which this user may call a meeting of some kind, in tree order."""
    roots = organiser_roots(user, owners_kinds=True)
    if not roots:
        return []
    q = Q(pk__in=[])
    for root in roots:
        q |= subtree_q(root)
    return list(Place.objects.filter(q, kind__in=MEETING_PLACE_KINDS).order_by("path")[:MAX_PLACES])


def _around(place: Place) -> Q:
    """The place's subtree, and the places above it down from its community."""
    above = ancestor_paths(place.path, include_self=False, from_depth=COMMUNITY_DEPTH)
    return subtree_q(place.path, "place__path") | Q(place__path__in=above)


def candidate_teams(place: Place) -> list[Team]:
    companies = Place.objects.filter(subtree_q(place.path), property_company__isnull=False)
    return list(
        Team.objects.filter(
            _around(place) | Q(pk__in=companies.values("property_company_id"))
        ).order_by("kind", "name", "pk")
    )


def candidate_people(place: Place, teams: list[Team]) -> list[tuple[int, str]]:
    """(person id, "name · role") for the post holders around the place and the members of its
    teams; the administrators of the system are nobody's invitees."""
    labels: dict[int, str] = {}
    posts = (
        Post.objects.filter(active_q())
        .filter(_around(place) | Q(team__in=teams))
        .exclude(role__in=ADMIN_ROLES)
        .select_related("person", "place", "team")
        .order_by("person__name", "pk")
    )
    for post in posts:
        where = post.team.name if post.team else (post.place.name if post.place else "")
        labels.setdefault(
            post.person_id, f"{post.person.name} · {post.get_role_display()} · {where}"
        )
    members = (
        Membership.objects.filter(active_q(), team__in=teams)
        .select_related("person", "team")
        .order_by("person__name", "pk")
    )
    for m in members:
        labels.setdefault(m.person_id, f"{m.person.name} · {m.team.name}")
    return sorted(labels.items(), key=lambda kv: kv[1])


def people_by_id(ids: list[int]) -> list[Person]:
    found = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]
