"""What the fuzz of every input sends (test_hostile_pages.py, test_hostile_api.py), and the count
of rows that shows a refused request wrote nothing."""

from __future__ import annotations

from django.apps import apps
from django.db import connection

# Ten megabytes: under DATA_UPLOAD_MAX_MEMORY_SIZE (12 MB), so it reaches the form or the schema,
# which must refuse it by its length. Sent once per form or operation; every other field is sent
# a megabyte, past every field's own limit, which costs a tenth as much.
TEN_MB = "长" * (10 * 1024 * 1024 // 3)
ONE_MB = "长" * (1024 * 1024 // 3)
EXOTIC = "\u202eexe.txt <script>alert(1)</script><img src=x onerror=alert(1)> ' OR 1=1; --"

# What every field is sent, as the text a browser (or an attacker) would post: NUL and other
# control characters, nothing but zero-width characters, right-to-left override with HTML and
# SQL, several values for one name, a megabyte.
TEXT_VALUES: dict[str, object] = {
    "nul": "前\x00后",
    "control": "响铃\x07\x1b[31m红",
    "zero_width": "\u200b\u200c\u200d\u2060\ufeff",
    "exotic": EXOTIC,
    "many": ["1", "2"],
    "long": ONE_MB,
}
# And a field whose valid value is a number (an id, a version, a tier) is sent numbers too.
NUMBER_VALUES: dict[str, object] = {
    "nul": "1\x00",
    "huge": "99999999999999999999",
    "negative": "-99999999999999999999",
    "minus_one": "-1",
    "word": "1e308",
    "many": ["1", "2"],
    "long": "9" * 100_000,
}
FORM_VALUES = {**TEXT_VALUES, **NUMBER_VALUES, "ten_mb": TEN_MB}


def values_for(valid: object) -> dict[str, object]:
    """What a field whose valid value is `valid` is sent."""
    return NUMBER_VALUES if isinstance(valid, str) and valid.isdigit() else TEXT_VALUES


# Every value an API parameter or JSON property is sent: the same, and the JSON types a form
# cannot carry (a number where text is expected, a boolean where a number is …).
JSON_VALUES: dict[str, object] = {
    **{name: value for name, value in FORM_VALUES.items() if name not in ("many", "ten_mb")},
    "huge_number": 10**20,
    "negative_number": -(10**20),
    "minus_one_number": -1,
    "fraction": 1.5,
    "boolean": True,
    "null": None,
    "list": ["1", "2"],
    "object": {"a": 1},
    "lone_surrogate": "半\ud800",
}

# Rows a refused request may write: who failed to log in (django-axes), the session of a login,
# and the audit trail of denied requests.
MAY_GROW = {"axes", "sessions", "audit"}


def _tables() -> list[str]:
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        # Unmanaged models (django-rq's admin placeholder) have no table.
        if model._meta.app_label not in MAY_GROW and not model._meta.proxy and model._meta.managed
    )


def row_counts() -> tuple[int, ...]:
    """How many rows each table holds, in one statement."""
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in _tables())  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


def grown(before: tuple[int, ...], after: tuple[int, ...]) -> list[str]:
    """The tables that gained or lost rows."""
    return [t for t, b, a in zip(_tables(), before, after, strict=True) if a != b]
