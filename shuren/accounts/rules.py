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


@rules.predicate
def is_the_holder(user: Any, account: Any) -> bool:
    """Only the holder changes their own password (knowing the current one)."""
    return account is not None and getattr(user, "pk", None) == account.pk


rules.add_perm("accounts.change_own_password", is_the_holder)
