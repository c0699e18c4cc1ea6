"""What other capabilities say about a matter on its page (a mediation under way, a joint
meeting that took it up …). They register a provider from their AppConfig.ready(); cases knows
none of them, and each provider decides what this reader may open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Link:
    label: str  # who has it: the mediation workshop's name
    status: str  # where it stands there, in the reader's language: 调解中
    url: str = ""  # empty when this reader may not open it
    number: str = ""


Provider = Callable[[Any, Any], list[Link]]
_providers: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    _providers[f"{provider.__module__}.{provider.__qualname__}"] = provider


def links_of(user: Any, case: Any) -> list[Link]:
    return [link for provider in _providers.values() for link in provider(user, case)]
