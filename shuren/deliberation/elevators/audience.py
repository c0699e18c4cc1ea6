"""Who hears of a project's steps: the owners of the stairwell served, and the staff running it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from shuren.deliberation.elevators.models import MANAGER_ROLES, ElevatorProject
from shuren.people.models import Post
from shuren.places.models import Household
from shuren.places.paths import ancestor_paths, subtree_q


def owner_users(project: ElevatorProject) -> QuerySet[Any]:
    """The active accounts of the owners of the flats under the project's place."""
    owners = Household.objects.filter(subtree_q(project.place.path, "place__path")).values("owners")
    return get_user_model().objects.filter(person_id__in=owners, is_active=True)


def manager_users(project: ElevatorProject) -> QuerySet[Any]:
    """The active accounts holding a staff post over the project's place."""
    posts = Post.objects.active().filter(
        role__in=MANAGER_ROLES, place__path__in=ancestor_paths(project.place.path)
    )
    return get_user_model().objects.filter(person_id__in=posts.values("person_id"), is_active=True)
