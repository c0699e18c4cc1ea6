"""A matter's contact phone encrypted at rest (shuren/crypto.py): forward seals every plaintext
value a batch of rows at a time, backward opens them again before the column is varchar again."""

from django.db import migrations

import shuren.crypto
from shuren.crypto_rows import SealedColumn, open_sealed, seal_plaintext

TABLE = "cases_case"
COLUMNS = [SealedColumn("contact_phone", "cases.Case.contact_phone")]


def seal(apps, schema_editor):
    seal_plaintext(schema_editor.connection, TABLE, COLUMNS)


def unseal(apps, schema_editor):
    open_sealed(schema_editor.connection, TABLE, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_estate_tier_policy"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="contact_phone",
            field=shuren.crypto.EncryptedTextField(
                blank=True, max_length=20, verbose_name="contact phone"
            ),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
    ]
