"""Seed the category tree (issue 3) and the deadline policies of rules-cn.md section 3.

The rows are frozen here as they were when this migration was written: a migration must not
change when live code does (cases/seed.py holds the same rows for tests that flush tables).
"""

from django.db import migrations

# (code, English name (msgid), may be public, children)
CATEGORIES = [
    (
        "neighbour",
        "Neighbour dispute",
        False,
        [
            ("neighbour-noise", "Noise"),
            ("neighbour-leak", "Water leak"),
            ("neighbour-odour", "Odour"),
            ("neighbour-clutter", "Clutter in shared space"),
            ("neighbour-pets", "Pets"),
            ("neighbour-renovation", "Renovation"),
            ("neighbour-other", "Other"),
        ],
    ),
    ("property", "Property management dispute", False, []),
    ("sanitation", "Sanitation", True, []),
    ("security", "Public security", False, []),
    ("facilities", "Public facilities", True, []),
    ("safety", "Safety hazard", True, []),
    ("parking", "Parking", True, []),
    ("elevator", "Elevator retrofit", True, []),
    ("other", "Other", False, []),
]

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


def forwards(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    DeadlinePolicy = apps.get_model("cases", "DeadlinePolicy")
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
    for category_code, risk, stage, amount, unit, note in POLICIES:
        category = Category.objects.get(code=category_code) if category_code else None
        DeadlinePolicy.objects.get_or_create(
            category=category,
            risk=risk,
            stage=stage,
            defaults={"amount": amount, "unit": unit, "note": note},
        )


def backwards(apps, schema_editor):
    apps.get_model("cases", "DeadlinePolicy").objects.all().delete()
    Category = apps.get_model("cases", "Category")
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
