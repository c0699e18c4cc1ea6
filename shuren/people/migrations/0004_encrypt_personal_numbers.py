"""Phone and ID numbers encrypted at rest, with their blind indexes (shuren/crypto.py).

Forward: the columns become text, every plaintext value is sealed under the current key of
SHUREN_FIELD_KEYS and its blind index filled, a batch of rows at a time. Backward: every value
opened again (the keys must still be in the environment), then the columns and indexes as they
were. The person_phone index on the plaintext goes: look-ups use phone_index now."""

from django.db import migrations

import shuren.crypto
from shuren.crypto_rows import SealedColumn, open_sealed, seal_plaintext

TABLE = "people_person"
COLUMNS = [
    SealedColumn("phone", "people.Person.phone", "phone_index", "phone"),
    SealedColumn("id_number", "people.Person.id_number", "id_number_index", "id_number"),
]


def seal(apps, schema_editor):
    seal_plaintext(schema_editor.connection, TABLE, COLUMNS)


def unseal(apps, schema_editor):
    open_sealed(schema_editor.connection, TABLE, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_phone_consent"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="person_phone",
        ),
        migrations.AddField(
            model_name="person",
            name="id_number_index",
            field=shuren.crypto.BlindIndexField(kind="id_number", source="id_number"),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_index",
            field=shuren.crypto.BlindIndexField(kind="phone", source="phone"),
        ),
        migrations.AlterField(
            model_name="person",
            name="id_number",
            field=shuren.crypto.EncryptedTextField(
                blank=True, max_length=18, verbose_name="ID number"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=shuren.crypto.EncryptedTextField(blank=True, max_length=20, verbose_name="phone"),
        ),
        migrations.RunPython(seal, unseal, elidable=False),
    ]
