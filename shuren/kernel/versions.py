"""Optimistic concurrency: an edit based on a stale version is refused, never merged silently."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class StaleVersion(Exception):
    """The object changed since the client read it; the API answers 409."""

    def __init__(self, current: int) -> None:
        self.current = current
        super().__init__(
            _("Someone else changed this in the meantime (now version %(v)d). Reload and retry.")
            % {"v": current}
        )


def check_version(obj: Any, expected: int | None) -> None:
    if expected is not None and obj.version != expected:
        raise StaleVersion(obj.version)
