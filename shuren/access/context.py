"""The request-scoped holder of what one user holds and may see: standing, scope and whatever a
capability derives from them (the cases' reach), computed once and forgotten together.

Django loads `request.user` afresh for every request, so an object kept on that instance lives
exactly as long as the request. Everything derived from the user's posts is kept in one place,
so one `forget(user)` (after their posts or homes change) clears all of it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from shuren.access.scope import EMPTY, Scope, compute_scope
from shuren.access.standing import NOBODY, Standing, read_standing

T = TypeVar("T")
ATTRIBUTE = "_shuren_context"


class UserContext:
    """What one request knows of its user. Build it with context_of(user)."""

    def __init__(self, user: Any) -> None:
        self.user = user
        self._derived: dict[Callable[..., Any], Any] = {}

    @property
    def is_known(self) -> bool:
        user = self.user
        return user is not None and bool(getattr(user, "is_authenticated", False))

    @cached_property
    def standing(self) -> Standing:
        return read_standing(self.user) if self.is_known else NOBODY

    @cached_property
    def scope(self) -> Scope:
        return compute_scope(self.user, self.standing) if self.is_known else EMPTY

    def derived(self, compute: Callable[[Any, Standing], T]) -> T:
        """`compute(user, standing)` once per request: how a capability keeps its own view of
        the standing (cases.reach.reach_of) without a cache of its own to clear."""
        if compute not in self._derived:
            self._derived[compute] = compute(self.user, self.standing)
        return self._derived[compute]  # type: ignore[no-any-return]


def context_of(user: Any) -> UserContext:
    """The user's context, made once and kept on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return UserContext(None)
    context = getattr(user, ATTRIBUTE, None)
    if context is None:
        context = UserContext(user)
        setattr(user, ATTRIBUTE, context)
    return context


def forget(user: Any) -> None:
    """Forget everything read and derived for this user (after their posts or homes changed)."""
    if user is not None and hasattr(user, ATTRIBUTE):
        delattr(user, ATTRIBUTE)


def standing_of(user: Any) -> Standing:
    """What the user holds today, read once per request."""
    return context_of(user).standing


def scope_of(user: Any) -> Scope:
    """What the user may see, computed once per request."""
    return context_of(user).scope
