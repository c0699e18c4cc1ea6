"""A `{# … #}` comment must open and close on one line: Django prints a multi-line one as text
(it did, at the top of every page, before this test)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

OPEN_ONLY = re.compile(r"\{#(?!.*#\})")


def test_no_template_has_a_comment_spanning_lines():
    root = Path(settings.BASE_DIR) / "shuren"
    broken = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.html")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OPEN_ONLY.search(line)
    ]
    assert broken == []
