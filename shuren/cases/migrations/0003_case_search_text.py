"""Chinese full-text search: Case.search_text (jieba tokens), filled for existing cases, and on
PostgreSQL a pg_trgm GIN index that serves `search_text LIKE '% 漏水 %'` (nothing on SQLite).

Not atomic, so the index is built CONCURRENTLY: a live table keeps taking writes meanwhile.

Measured at 1 M cases (PostgreSQL 15, 2 busy cores): the index is 62 MB beside a 495 MB table;
a word no case has is answered in under 1 ms instead of 400 ms, a word in 4.5 % of the cases
counted in 175-200 ms instead of 275-300 ms; inside one community's range (the inbox's own
filter) a capped count takes ~20 ms with or without it.
"""

import sys

from django.db import migrations, models

INDEX = "case_search_trgm"


def fill_search_text(apps, schema_editor):
    from shuren.cases.search import reindex

    reindex(apps.get_model("cases", "Case"), only_missing=True)


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        try:
            # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # noqa: BLE001 - search stays correct without the index
            sys.stderr.write(
                f"\nWARNING: could not create the pg_trgm extension ({exc}). Case search works "
                f"but scans rows. As a superuser run: CREATE EXTENSION pg_trgm; CREATE INDEX "
                f"{INDEX} ON cases_case USING gin (search_text gin_trgm_ops);\n"
            )
            return
        cursor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            f"ON cases_case USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0002_seed_categories_and_deadlines"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
