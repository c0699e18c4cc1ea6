"""What the home page says of elevator retrofits: a way in for those who run projects and for
the residents of a stairwell that has one."""

from __future__ import annotations

from typing import Any

from shuren.access.context import standing_of
from shuren.deliberation.elevators.models import ElevatorProject, manager_roots
from shuren.places.paths import ancestor_paths


def sees_elevators(user: Any) -> bool:
    """Staff who run projects (their posts: no query); a resident whose home's stairwell or
    building has a project (one query). Owners living elsewhere find theirs from the vote."""
    if manager_roots(user):
        return True
    homes = standing_of(user).homes if getattr(user, "is_authenticated", False) else ()
    above = sorted({a for _household, path in homes for a in ancestor_paths(path)})
    return bool(above) and ElevatorProject.objects.filter(place__path__in=above).exists()
