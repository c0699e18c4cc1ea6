"""A matter's contact phone is stored encrypted (shuren/crypto.py): the table holds no number,
the pages and the reveal read it as it was given."""

from __future__ import annotations

from django.db import connection

from shuren.cases.actions import reveal_contact_phone
from shuren.cases.models import Case


def stored_contact_phone(case: Case) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM cases_case WHERE id = %s", [case.pk])
        return cursor.fetchone()[0]


def test_a_contact_phone_is_stored_sealed_and_read_as_given(world, report):
    case = report(
        "demo-louzhang", "GC-JD-JYLW-B01", contact_name="陈阿姨", contact_phone="13612345678"
    )
    stored = stored_contact_phone(case)
    assert stored.startswith("enc1:test:")
    assert "13612345678" not in stored
    case = Case.objects.get(pk=case.pk)
    assert case.masked_contact_phone == "136****5678"
    shequ = world.user("demo-shequ")
    assert reveal_contact_phone(user=shequ, case=case, reason="回访核实") == "13612345678"


def test_a_matter_without_a_contact_phone_stores_nothing(world, report):
    case = report("demo-louzhang", "GC-JD-JYLW-B01")
    assert stored_contact_phone(case) == ""
