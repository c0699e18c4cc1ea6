"""Who may keep the login accounts (django-rules): the security administrator (三员分立)."""

from __future__ import annotations

from typing import Any

import rules

from shuren.access.context import scope_of
from shuren.people.roles import Role


@rules.predicate
def administers_accounts(user: Any) -> bool:
    """The security administrator keeps the accounts; a superuser flag alone, without that post,
    gives nothing here."""
    return Role.SECADMIN in scope_of(user).roles


rules.add_perm("accounts.change_user", administers_accounts)
