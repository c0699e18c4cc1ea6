"""The words of each kind of notification, registered by the capability that sends it.

An action records only a kind and its parameters in the outbox (kernel.outbox.Tell); the
worker renders the message here in each recipient's own language. A capability registers its
kinds in a `messages.py` of its own, imported by its AppConfig.ready().

A kind may have words for one audience as well (`@message("case.resolved", audience="reporter")`):
the same row tells the resident who reported a matter in their own terms and the workers in
theirs. Recipients of no named audience, or of one without its own words, get the kind's words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Render = Callable[[Mapping[str, Any]], tuple[str, str]]  # params -> (title, body)
_messages: dict[tuple[str, str], Render] = {}


class UnknownMessage(LookupError):
    """No capability registered this kind of notification."""


def message(kind: str, *, audience: str = "") -> Callable[[Render], Render]:
    """Register the renderer of one kind of notification (for one audience, if named)."""

    def register(render: Render) -> Render:
        key = (kind, audience)
        if key in _messages and _messages[key] is not render:
            raise ValueError(f"the notification kind {kind!r} is registered twice")
        _messages[key] = render
        return render

    return register


def render(kind: str, params: Mapping[str, Any], *, audience: str = "") -> tuple[str, str]:
    """(title, body) in the active language, in the audience's words if it has its own."""
    renderer = _messages.get((kind, audience)) or _messages.get((kind, ""))
    if renderer is None:
        raise UnknownMessage(kind)
    return renderer(params)


def kinds() -> list[str]:
    return sorted({kind for kind, _audience in _messages})
