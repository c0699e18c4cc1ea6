"""The seeded category tree (issue 3) and deadline policies (rules-cn.md section 3).

The data migrations 0002 and 0007 hold frozen copies of these rows (tests/test_seed.py keeps
them equal); tests that flush the database (live-server tests) put them back with
seed(Category, DeadlinePolicy).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

# (code, English name (msgid), may be public, children)
CATEGORIES = [
    (
        "neighbour",
        gettext_noop("Neighbour dispute"),
        False,
        [
            ("neighbour-noise", gettext_noop("Noise")),
            ("neighbour-leak", gettext_noop("Water leak")),
            ("neighbour-odour", gettext_noop("Odour")),
            ("neighbour-clutter", gettext_noop("Clutter in shared space")),
            ("neighbour-pets", gettext_noop("Pets")),
            ("neighbour-renovation", gettext_noop("Renovation")),
            ("neighbour-other", gettext_noop("Other")),
        ],
    ),
    ("property", gettext_noop("Property management dispute"), False, []),
    ("sanitation", gettext_noop("Sanitation"), True, []),
    ("security", gettext_noop("Public security"), False, []),
    ("facilities", gettext_noop("Public facilities"), True, []),
    ("safety", gettext_noop("Safety hazard"), True, []),
    ("parking", gettext_noop("Parking"), True, []),
    ("elevator", gettext_noop("Elevator retrofit"), True, []),
    ("other", gettext_noop("Other"), False, []),
]

# Which categories the estate tier does not handle in full (cases/estate.py); the rest: "all".
# Migration 0007 holds a frozen copy.
ESTATE_TIERS = {"property": "without_company", "security": "skip"}

# (category code or None, risk or "", stage, amount, unit, note)
POLICIES = [
    (None, "", "accept", 1, "working_days", "Guangdong 12345: accept within 1 working day"),
    (None, "", "resolve", 10, "working_days", "Guangdong 12345: help/suggestion 10 working days"),
    (None, "", "follow_up", 1, "working_days", "Follow-up call the day after closing"),
    (None, "", "grace", 2, "working_days", "Escalate 2 working days after a missed deadline"),
    ("neighbour", "", "resolve", 15, "working_days", "Guangdong 12345: complaint 15 working days"),
    ("property", "", "resolve", 15, "working_days", "Guangdong 12345: complaint 15 working days"),
    ("security", "", "resolve", 15, "working_days", "Guangdong 12345: report 15 working days"),
    (None, "high", "accept", 2, "working_hours", "Orange warning: handle the same day"),
    (None, "high", "resolve", 1, "working_days", "Orange warning: handle the same day"),
    (None, "critical", "accept", 1, "hours", "Beijing 12345: urgent dispatch within 1 h"),
    (None, "critical", "resolve", 2, "hours", "Beijing 12345: urgent feedback within 2 h"),
    (None, "critical", "grace", 1, "hours", "Red warning: report upward immediately"),
]
# Rows later migrations added, each frozen in its migration too (tests/test_seed.py).
LATER_POLICIES = [
    # 0007: a resolved matter waits this long for the reporter's rating before it may be closed.
    (None, "", "rating", 3, "working_days", "Wait for the reporter's rating before closing"),
]


def seed(Category: Any, DeadlinePolicy: Any) -> None:
    """Create the seeded rows that are missing; safe to run again."""
    for order, (code, name, public, children) in enumerate(CATEGORIES, start=1):
        parent, _ = Category.objects.get_or_create(
            code=code,
            defaults={"name": name, "may_be_public": public, "sort_order": order * 10},
        )
        for child_order, (child_code, child_name) in enumerate(children, start=1):
            Category.objects.get_or_create(
                code=child_code,
                defaults={
                    "name": child_name,
                    "parent": parent,
                    "may_be_public": public,
                    "sort_order": order * 10 + child_order,
                },
            )
    for code, estate_tier in ESTATE_TIERS.items():
        Category.objects.filter(code=code, estate_tier="all").update(estate_tier=estate_tier)
    for category_code, risk, stage, amount, unit, note in POLICIES + LATER_POLICIES:
        category = Category.objects.get(code=category_code) if category_code else None
        DeadlinePolicy.objects.get_or_create(
            category=category,
            risk=risk,
            stage=stage,
            defaults={"amount": amount, "unit": unit, "note": note},
        )
