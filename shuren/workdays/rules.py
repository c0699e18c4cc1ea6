"""Who may keep the holiday calendar: the system administrator (system configuration, 三员分立)."""

from __future__ import annotations

from typing import Any

import rules

from shuren.access.context import scope_of
from shuren.people.roles import Role


@rules.predicate
def keeps_calendar(user: Any) -> bool:
    return Role.SYSADMIN in scope_of(user).roles


for action in ("view", "add", "change", "delete"):
    rules.add_perm(f"workdays.{action}_holidayday", keeps_calendar)
