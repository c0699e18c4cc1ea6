"""Whom a meeting concerns: its invited persons, the members and post holders of its invited
organisations, and their login accounts (who is told, who checks in, who may own a decision)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from shuren.access.context import standing_of
from shuren.deliberation.meetings.models import Invitee, Meeting, teams_of
from shuren.people.models import Membership, Person, Post, active_q


def team_person_ids(team_ids: set[int] | list[int]) -> set[int]:
    """The persons acting for these teams today: active members and active post holders."""
    if not team_ids:
        return set()
    members = Membership.objects.filter(active_q(), team_id__in=team_ids).values_list(
        "person_id", flat=True
    )
    holders = Post.objects.filter(active_q(), team_id__in=team_ids).values_list(
        "person_id", flat=True
    )
    return set(members) | set(holders)


def invited_person_ids(meeting: Meeting) -> set[int]:
    """Everyone a meeting expects: the persons named, the people of the teams named, its
    secretary and the organiser who called it (they sit in it too)."""
    rows = list(Invitee.objects.filter(meeting=meeting).values_list("person_id", "team_id"))
    persons = {p for p, _t in rows if p}
    if meeting.secretary_id:
        persons.add(meeting.secretary_id)
    organiser = getattr(meeting.called_by, "person_id", None) if meeting.called_by_id else None
    if organiser:
        persons.add(organiser)
    return persons | team_person_ids({t for _p, t in rows if t})


def expected_people(meeting: Meeting) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=invited_person_ids(meeting)).order_by("name", "pk")


def users_of(person_ids: set[int]) -> QuerySet[Any]:
    return get_user_model().objects.filter(person_id__in=person_ids, is_active=True)


def is_invited(user: Any, meeting: Meeting) -> bool:
    """Invited in person, or through a team they act for."""
    if meeting is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    standing = standing_of(user)
    q = Q(pk__in=[])
    if standing.person_id:
        q |= Q(person_id=standing.person_id)
    teams = teams_of(standing)
    if teams:
        q |= Q(team_id__in=teams)
    return Invitee.objects.filter(q, meeting=meeting).exists()


def owner_users(owner_person_id: int | None, owner_team_id: int | None) -> QuerySet[Any]:
    """Who answers for a decision: its owner's account, or the accounts of its team's people."""
    if owner_person_id:
        return users_of({owner_person_id})
    return users_of(team_person_ids([owner_team_id] if owner_team_id else []))
