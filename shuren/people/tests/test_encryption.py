"""Phone and ID numbers are encrypted at rest: the tables hold no number in clear, the program
reads plaintext, a look-up goes through the blind index, keys rotate, a wrong key fails loudly,
and the migration's conversion runs forward and back (shuren/crypto.py, crypto_rows.py)."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from shuren.cases.models import Case
from shuren.crypto import (
    DecryptionError,
    KeyConfigError,
    blind_index,
    decrypt,
    encrypt,
    key_id_of,
)
from shuren.crypto_rows import count_by_key, open_sealed, seal_plaintext, specs_of
from shuren.people.actions import change_person
from shuren.people.identity import id_check_char
from shuren.people.models import Person
from shuren.testing import World

TEST_FIELD_KEY = "c2h1cmVuLVRFU1QtZmllbGQta2V5LW5vdC1zZWNyZXQ="  # settings' public test key
NEW_KEY = base64.b64encode(b"another-TEST-key-for-rotation-01").decode()  # 32 bytes


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def raw_rows(table: str, columns: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table}")  # noqa: S608
        return cursor.fetchall()


def write_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])  # noqa: S608


# --- at rest ---------------------------------------------------------------------------------


def test_the_tables_hold_no_phone_or_id_number_in_clear(world: World):
    people = Person.objects.exclude(phone="").values_list("pk", "phone", "id_number")
    plain = {value for _pk, phone, id_number in people for value in (phone, id_number) if value}
    assert "13812345678" in plain
    assert "440602195803031231" in plain
    stored = raw_rows("people_person", "phone, id_number, phone_index, id_number_index")
    stored += raw_rows("cases_case", "contact_phone, contact_name, title, description")
    for row in stored:
        for value in row:
            assert not any(number in (value or "") for number in plain)
    for phone, id_number, *_indexes in raw_rows("people_person", "phone, id_number"):
        assert all(v == "" or v.startswith("enc1:test:") for v in (phone, id_number))


def test_a_number_reads_back_as_it_was_written_and_an_empty_one_stays_empty(world: World):
    wang = world.person("P-WANG")
    change_person(actor=world.user("demo-shequ"), person=wang, phone="13987654321")
    stored = raw("people_person", "phone", wang.pk)
    assert stored.startswith("enc1:test:")
    assert "13987654321" not in stored
    assert Person.objects.get(pk=wang.pk).phone == "13987654321"
    change_person(actor=world.user("demo-shequ"), person=wang, phone="")
    assert raw("people_person", "phone", wang.pk) == ""
    assert raw("people_person", "phone_index", wang.pk) == ""


def test_the_same_number_is_sealed_differently_each_time():
    # A fresh nonce each time: equal numbers do not show as equal ciphertexts.
    first = encrypt("13812345678", column="people.Person.phone")
    assert first != encrypt("13812345678", column="people.Person.phone")
    assert decrypt(first, column="people.Person.phone") == "13812345678"


def test_a_value_copied_into_another_column_does_not_open(world: World):
    wang = world.person("P-WANG")
    write_raw("people_person", "id_number", wang.pk, raw("people_person", "phone", wang.pk))
    with pytest.raises(DecryptionError, match=r"people\.Person\.id_number: .* copied from another"):
        Person.objects.get(pk=wang.pk)


def test_a_value_in_clear_is_refused_on_reading(world: World):
    wang = world.person("P-WANG")
    write_raw("people_person", "phone", wang.pk, "13812345678")
    with pytest.raises(DecryptionError, match=r"not encrypted: run manage\.py migrate"):
        Person.objects.get(pk=wang.pk)


# --- keys ------------------------------------------------------------------------------------


def test_a_wrong_key_fails_with_a_clear_error(world: World):
    wang = world.person("P-WANG")
    with (
        override_settings(SHUREN_FIELD_KEYS=f"test:{NEW_KEY}"),
        pytest.raises(DecryptionError, match="key 'test' does not open: the key is not the one"),
    ):
        Person.objects.get(pk=wang.pk)


def test_a_removed_key_fails_and_says_how_to_recover(world: World):
    wang = world.person("P-WANG")
    with (
        override_settings(SHUREN_FIELD_KEYS=f"new:{NEW_KEY}"),
        pytest.raises(DecryptionError, match="SHUREN_FIELD_KEYS no longer lists"),
    ):
        Person.objects.get(pk=wang.pk)


@pytest.mark.parametrize(
    ("field_keys", "index_key", "complaint"),
    [
        ("", TEST_FIELD_KEY, "SHUREN_FIELD_KEYS is not set"),
        (f"test:{TEST_FIELD_KEY}", "", "SHUREN_INDEX_KEY is not set"),
        ("test:c2hvcnQ=", TEST_FIELD_KEY, "must be 32 bytes"),
        (f"a:{TEST_FIELD_KEY},a:{NEW_KEY}", TEST_FIELD_KEY, "names the key id 'a' twice"),
    ],
)
def test_a_missing_or_malformed_key_fails_with_a_clear_error(field_keys, index_key, complaint):
    with (
        override_settings(SHUREN_FIELD_KEYS=field_keys, SHUREN_INDEX_KEY=index_key),
        pytest.raises(KeyConfigError, match=complaint),
    ):
        encrypt("13812345678", column="people.Person.phone")


def test_an_old_key_still_opens_after_rotation_and_rotatekeys_moves_every_row(world: World):
    specs = specs_of(Person)
    before = count_by_key(connection, "people_person", specs)
    assert set(before) == {"test"}
    wang = world.person("P-WANG")
    with override_settings(SHUREN_FIELD_KEYS=f"new:{NEW_KEY},test:{TEST_FIELD_KEY}"):
        assert Person.objects.get(pk=wang.pk).phone == "13812345678"  # the old key opens
        change_person(actor=world.user("demo-shequ"), person=wang, phone="13812340000")
        assert key_id_of(raw("people_person", "phone", wang.pk)) == "new"  # new values: new key

        out = io.StringIO()
        call_command("rotatekeys", stdout=out)
        assert "current key: new" in out.getvalue()
        assert count_by_key(connection, "people_person", specs) == {"new": before["test"]}
        assert set(count_by_key(connection, "cases_case", specs_of(Case))) <= {"new"}

        again = io.StringIO()
        call_command("rotatekeys", stdout=again)  # idempotent
        assert "0 rewritten" in again.getvalue()
    with override_settings(SHUREN_FIELD_KEYS=f"new:{NEW_KEY}"):  # the old key is gone
        assert Person.objects.get(pk=wang.pk).phone == "13812340000"
        assert Person.objects.get(code="P-CHEN").id_number == "440602196001012340"


def test_rotatekeys_stops_with_a_clear_error_when_a_key_is_missing(world: World):
    with (
        override_settings(SHUREN_FIELD_KEYS=f"new:{NEW_KEY}"),
        pytest.raises(CommandError, match="no longer lists"),
    ):
        call_command("rotatekeys", stdout=io.StringIO())


# --- the blind index -------------------------------------------------------------------------


def test_a_person_is_found_by_the_blind_index_of_their_numbers(world: World):
    wang = world.person("P-WANG")
    by_phone = Person.objects.filter(phone_index=blind_index("138-1234 5678", kind="phone"))
    assert list(by_phone) == [wang]
    assert list(Person.objects.filter(phone_index=blind_index("+86 13812345678", kind="phone")))
    zhao = Person.objects.filter(
        id_number_index=blind_index("44060219700202345x", kind="id_number")
    )
    assert [p.code for p in zhao] == ["P-ZHAO"]
    # A phone and an ID number of the same digits do not meet.
    assert blind_index("13812345678", kind="phone") != blind_index("13812345678", kind="id_number")


def test_looking_a_number_up_by_its_value_is_a_programming_error(world: World):
    with pytest.raises(FieldError, match="is encrypted: look it up by its blind index"):
        list(Person.objects.filter(phone="13812345678"))
    with pytest.raises(FieldError, match="Unsupported lookup 'startswith'"):
        list(Person.objects.filter(id_number__startswith="4406"))
    assert Person.objects.filter(id_number="").exists()  # an empty value is stored empty


def test_the_blind_index_follows_every_write_path(world: World):
    wang = world.person("P-WANG")
    # An action saving only the fields it changed.
    id_number = "44060219580303123" + id_check_char("44060219580303123")
    change_person(actor=world.user("demo-shequ"), person=wang, id_number=id_number.lower())
    expected = blind_index(id_number, kind="id_number")
    assert raw("people_person", "id_number_index", wang.pk) == expected
    # save() of a row loaded with only some fields.
    partial = Person.objects.only("pk", "name", "phone").get(pk=wang.pk)
    partial.phone = "13812349999"
    partial.save()
    assert raw("people_person", "phone_index", wang.pk) == blind_index("13812349999", kind="phone")
    # bulk_create, as the demo loader, the test world and the import write new persons.
    (new,) = Person.objects.bulk_create([Person(name="新人", phone="13600009999", code="P-NEW")])
    assert raw("people_person", "phone_index", new.pk) == blind_index("13600009999", kind="phone")
    # bulk_update, as the import writes changed persons (with crypto.with_indexes).
    new.phone = "13600008888"
    Person.objects.bulk_update([new], ["phone", "phone_index"])
    assert raw("people_person", "phone_index", new.pk) == blind_index("13600008888", kind="phone")


def test_rotatekeys_reindex_rebuilds_the_blind_index_under_a_new_index_key(world: World):
    wang = world.person("P-WANG")
    with override_settings(SHUREN_INDEX_KEY=NEW_KEY):
        new_index = blind_index("13812345678", kind="phone")
        assert not Person.objects.filter(phone_index=new_index).exists()
        out = io.StringIO()
        call_command("rotatekeys", "--reindex", stdout=out)
        assert re.search(r"people\.Person: (\d+) row\(s\) read, \1 rewritten", out.getvalue())
        assert list(Person.objects.filter(phone_index=new_index)) == [wang]


# --- the migration's conversion --------------------------------------------------------------


def test_the_migration_seals_plaintext_rows_and_opens_them_back(world: World):
    """people 0004 and cases 0009 run these on their tables (shuren/tests/test_migrate_crypto.py
    runs the migrations themselves forward and back)."""
    specs = specs_of(Person)
    wang, chen = world.person("P-WANG"), world.person("P-CHEN")
    # Rows as they stood before the migration: plaintext, no index.
    write_raw("people_person", "phone", wang.pk, "13812345678")
    write_raw("people_person", "phone_index", wang.pk, "")
    write_raw("people_person", "id_number", chen.pk, "440602196001012340")

    counts = seal_plaintext(connection, "people_person", specs, batch=7)
    assert counts.changed == 2  # only the rows that held plaintext (or lacked an index)
    assert raw("people_person", "phone", wang.pk).startswith("enc1:test:")
    assert raw("people_person", "phone_index", wang.pk) == blind_index("13812345678", kind="phone")
    assert Person.objects.get(pk=chen.pk).id_number == "440602196001012340"
    assert seal_plaintext(connection, "people_person", specs, batch=7).changed == 0

    total = Person.objects.exclude(phone="", id_number="").count()
    back = open_sealed(connection, "people_person", specs, batch=7)
    assert back.changed == total
    assert raw("people_person", "phone", wang.pk) == "13812345678"
    assert raw("people_person", "id_number", chen.pk) == "440602196001012340"
    plaintext = [v for row in raw_rows("people_person", "phone, id_number") for v in row if v]
    assert count_by_key(connection, "people_person", specs) == {"": len(plaintext)}
    seal_plaintext(connection, "people_person", specs)
    assert Person.objects.get(pk=wang.pk).phone == "13812345678"
