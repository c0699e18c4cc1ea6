"""The words of each kind of notification, registered by the capability that sends it.

An action records only a kind and its parameters in the outbox (kernel.outbox.Tell); the
worker renders the message here in each recipient's own language. A capability registers its
kinds in a `messages.py` of its own, imported by its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Render = Callable[[Mapping[str, Any]], tuple[str, str]]  # params -> (title, body)
_messages: dict[str, Render] = {}


class UnknownMessage(LookupError):
    """No capability registered this kind of notification."""


def message(kind: str) -> Callable[[Render], Render]:
    """Register the renderer of one kind of notification."""

    def register(render: Render) -> Render:
        if kind in _messages and _messages[kind] is not render:
            raise ValueError(f"the notification kind {kind!r} is registered twice")
        _messages[kind] = render
        return render

    return register


def render(kind: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """(title, body) in the active language."""
    try:
        renderer = _messages[kind]
    except KeyError:
        raise UnknownMessage(kind) from None
    return renderer(params)


def kinds() -> list[str]:
    return sorted(_messages)
