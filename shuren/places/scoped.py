"""The QuerySet side of scope: `visible_to(user)` is `in_scope(user.scope)`, or nothing.

The foundation's models sit below `access`, which computes a user's Scope; they read the scope
the user carries (`accounts.User.scope`, kept for the request by access.context) instead of
importing it, and each QuerySet says in `in_scope()` which of the Scope's filters applies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from shuren.access.scope import Scope


class ScopedQuerySet(models.QuerySet[Any]):
    def in_scope(self, scope: Scope) -> Self:
        raise NotImplementedError

    def visible_to(self, user: object) -> Self:
        scope = getattr(user, "scope", None)  # AnonymousUser and None carry none
        return self.none() if scope is None else self.in_scope(scope)
