"""How a page answers the one action it called, the same in every capability: the refusals
mapped as the API maps them (403 not allowed, 409 a stale version or a state that does not
allow it now, 422 a bad value, the form kept with the words), or the action's result.

Each capability's POST views find the object, bind the form and call `attempt`; what to render
on a refusal (its own page with the error) and where to go when done stay theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy

from shuren.kernel.versions import StaleVersion

T = TypeVar("T")

INVALID_MESSAGE = gettext_lazy("Some of the form is missing or wrong; see below.")


class Refuse(Protocol):
    """Render the page again: status, code, the words, and the form to show (None: none)."""

    def __call__(self, status: int, code: str, message: str, bound: Any) -> HttpResponse: ...


@dataclass(frozen=True)
class Refusals:
    """A capability's words for the refusals every action shares, and which refusals are a
    conflict with the object's state now (409) rather than a bad value (422)."""

    stale: Any  # a lazy string: someone else changed it while the page was open
    denied: Any  # a lazy string: this user may not do this here
    state_codes: frozenset[str] = frozenset()
    # Refusals raised as their own ValidationError type (a state machine's): 409 with this code,
    # the form not shown again (there is nothing to correct in it).
    conflicts: Mapping[type[ValidationError], str] = field(default_factory=dict)


@dataclass(frozen=True)
class Done(Generic[T]):
    result: T


def attempt(
    form: Any, run: Callable[[], T], *, refuse: Refuse, refusals: Refusals
) -> Done[T] | HttpResponse:
    """Validate the bound form, call the action, and answer a refusal through `refuse`."""
    if not form.is_valid():
        return refuse(422, "invalid", str(INVALID_MESSAGE), form)
    try:
        return Done(run())
    except StaleVersion:
        return refuse(409, "stale_version", str(refusals.stale), form)
    except PermissionDenied:
        return refuse(403, "permission_denied", str(refusals.denied), None)
    except ValidationError as exc:
        for kind, code in refusals.conflicts.items():
            if isinstance(exc, kind):
                return refuse(409, code, " ".join(exc.messages), None)
        code = getattr(exc, "code", None) or "invalid"
        form.add_error(None, exc)
        status = 409 if code in refusals.state_codes else 422
        return refuse(status, code, " ".join(exc.messages), form)
