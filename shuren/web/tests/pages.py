"""Helpers for tests of pages: comparing two answers that must look the same."""

from __future__ import annotations

import re

# The parts of a page that differ between any two requests: the CSRF token and the current
# path (the display switches return to it).
_VOLATILE = re.compile(
    r'(name="csrfmiddlewaretoken" value=|name="next" value=|"X-CSRFToken": )"[^"]*"'
)


def assert_same_404(outside, missing) -> None:
    """Out of scope must be indistinguishable from an id that does not exist."""
    assert outside.status_code == missing.status_code == 404
    assert _VOLATILE.sub("", outside.content.decode()) == _VOLATILE.sub(
        "", missing.content.decode()
    )
