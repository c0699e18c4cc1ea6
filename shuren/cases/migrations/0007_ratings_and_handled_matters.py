"""Issue 9: whom each step gave a matter to (the 经手的 list), the rating recorded for a resident
(代居民评价), and the rating window: a resolved matter waits this long for the reporter's
rating before it may be closed.

The policy row is frozen here as it was when this migration was written (cases/seed.py holds
the same row in LATER_POLICIES; tests/test_seed.py keeps the two equal).
"""

import django.db.models.deletion
from django.db import migrations, models

# (category code or None, risk or "", stage, amount, unit, note)
POLICIES = [
    (None, "", "rating", 3, "working_days", "Wait for the reporter's rating before closing"),
]


def forwards(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    DeadlinePolicy = apps.get_model("cases", "DeadlinePolicy")
    for category_code, risk, stage, amount, unit, note in POLICIES:
        category = Category.objects.get(code=category_code) if category_code else None
        DeadlinePolicy.objects.get_or_create(
            category=category,
            risk=risk,
            stage=stage,
            defaults={"amount": amount, "unit": unit, "note": note},
        )


def backwards(apps, schema_editor):
    apps.get_model("cases", "DeadlinePolicy").objects.filter(stage="rating").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_overdue_flag_due_soon"),
        ("people", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="to_person",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.person",
                verbose_name="given to person",
            ),
        ),
        migrations.AddField(
            model_name="caseevent",
            name="to_team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="people.team",
                verbose_name="given to team",
            ),
        ),
        migrations.AlterField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("reported", "Report received"),
                    ("accepted", "Taken on"),
                    ("assigned", "Assigned"),
                    ("noted", "Note added"),
                    ("escalated", "Escalated"),
                    ("returned", "Handed back"),
                    ("resolved", "Marked resolved"),
                    ("followed_up", "Resident's rating"),
                    ("reopened", "Resident's rating: not satisfied, handled again"),
                    ("rated_behalf", "Rating recorded for the resident"),
                    ("closed", "Case closed"),
                    ("merged", "Merged into another case"),
                    ("rejected", "Turned down"),
                    ("overdue", "Deadline watch"),
                ],
                max_length=12,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="deadlinepolicy",
            name="stage",
            field=models.CharField(
                choices=[
                    ("accept", "Accept"),
                    ("resolve", "Resolve"),
                    ("follow_up", "Follow up"),
                    ("grace", "Grace before automatic escalation"),
                    ("rating", "Time for the reporter's rating"),
                ],
                max_length=10,
                verbose_name="stage",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
