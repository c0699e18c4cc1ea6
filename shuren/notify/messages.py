"""The words of each kind of notification, registered by the capability that sends it.

An action records only a kind and its parameters in the outbox (kernel.outbox.Tell); the
worker renders the message here in each recipient's own language. A capability registers its
kinds in a `messages.py` of its own, imported by its AppConfig.ready().

A kind may have words for one audience as well (`@message("case.resolved", audience="reporter")`):
the same row tells the resident who reported a matter in their own terms and the workers in
theirs. Recipients of no named audience, or of one without its own words, get the kind's words.

Every kind also has a label: what the person is told about, in their terms ("A matter I reported
is resolved"), shown where they choose which kinds reach them beyond the app. It is given once,
with the kind's first registration; an audience's own words may leave it out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise

Render = Callable[[Mapping[str, Any]], tuple[str, str]]  # params -> (title, body)
_messages: dict[tuple[str, str], Render] = {}
_labels: dict[str, str | Promise] = {}


class UnknownMessage(LookupError):
    """No capability registered this kind of notification."""


def message(
    kind: str, *, audience: str = "", label: str | Promise = ""
) -> Callable[[Render], Render]:
    """Register the renderer of one kind of notification (for one audience, if named), and the
    kind's label (a lazy translatable string) once."""

    def register(render: Render) -> Render:
        key = (kind, audience)
        if key in _messages and _messages[key] is not render:
            raise ValueError(f"the notification kind {kind!r} is registered twice")
        if label:
            known = _labels.get(kind)
            if known is not None and known != label:
                raise ValueError(f"the notification kind {kind!r} has two labels")
            _labels[kind] = label
        _messages[key] = render
        return render

    return register


def render(kind: str, params: Mapping[str, Any], *, audience: str = "") -> tuple[str, str]:
    """(title, body) in the active language, in the audience's words if it has its own."""
    renderer = _messages.get((kind, audience)) or _messages.get((kind, ""))
    if renderer is None:
        raise UnknownMessage(kind)
    return renderer(params)


def label_of(kind: str) -> str:
    """What a kind of notification tells about, in the active language (the kind's own name if
    its capability gave no label: tests hold that every kind has one)."""
    if not any(known == kind for known, _audience in _messages):
        raise UnknownMessage(kind)
    return str(_labels.get(kind) or kind)


def kinds() -> list[str]:
    """Every kind, those of one capability together: the groups ("case", "meeting" …) in the
    order their first kind was registered, each group's kinds in their own registration order
    (the order a capability writes them in, usually the order things happen)."""
    ordered = list(dict.fromkeys(kind for kind, _audience in _messages))
    groups = list(dict.fromkeys(kind.partition(".")[0] for kind in ordered))
    return sorted(ordered, key=lambda kind: groups.index(kind.partition(".")[0]))
