"""Who may set how they are told, and who may connect a team's WeCom group robot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules

from shuren.people.rules import keeps_team


@rules.predicate
def owns_preference(user: Any, target: Any) -> bool:
    """A person's preferences are theirs alone (the target: the user, or their Preference)."""
    if target is None or not getattr(user, "is_authenticated", False):
        return False
    owner_id = getattr(target, "user_id", None) or getattr(target, "pk", None)
    return bool(owner_id) and owner_id == user.pk


@rules.predicate
def keeps_robot(user: Any, target: Any) -> bool:
    """The staff who keep a team (its home place lies where they give posts) set its robot
    (the target: the team, or its TeamRobot)."""
    team = getattr(target, "team", None) if hasattr(target, "webhook") else target
    return bool(keeps_team(user, team))


# django-rules has no annotations; its add_perm, typed, for the strict checker.
add_perm: Callable[[str, Any], None] = rules.add_perm
add_perm("notify.change_preference", owns_preference)
add_perm("notify.set_team_robot", keeps_robot)
