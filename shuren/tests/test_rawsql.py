"""Hand-written statements give back the same instances the ORM would, on either database."""

from __future__ import annotations

import pytest

from shuren import rawsql
from shuren.places.models import Household, Place


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.mark.parametrize("model", [Place, Household])
def test_by_pk_reads_a_row_exactly_as_the_orm(world, model):
    for obj in model.objects.all()[:20]:
        fast = rawsql.by_pk(model, obj.pk)
        assert _fields(fast) == _fields(obj)
        for name, value in _fields(obj).items():
            assert type(getattr(fast, name)) is type(value), name  # Decimal, datetime, bool
        assert not fast._state.adding


def test_by_pk_answers_none_for_a_missing_row(world):
    assert rawsql.by_pk(Place, 10**12) is None


def test_by_pk_is_one_statement(world, django_assert_num_queries):
    place = world.place("GC-JD-JYLW")
    with django_assert_num_queries(1):
        assert rawsql.by_pk(Place, place.pk).code == "GC-JD-JYLW"


def test_instance_takes_the_select_in_any_order(world):
    place = world.place("GC-JD-JYLW-B01")
    (row,) = rawsql.rows("SELECT path, kind, id FROM places_place WHERE id = %s", [place.pk])
    fast = rawsql.instance(Place, ("path", "kind", "id"), row)
    assert (fast.pk, fast.kind, fast.path) == (place.pk, place.kind, place.path)


def test_a_statement_takes_its_table_and_column_names_from_the_models(db):
    from django.db import connection

    from shuren.cases.models import Case
    from shuren.places.models import Place

    q = connection.ops.quote_name
    statement = rawsql.sql(
        "SELECT {c.place}, {p.path} FROM {c} JOIN {p} ON {p.id} = {c.place}", c=Case, p=Place
    )
    assert statement == (
        f"SELECT c.{q('place_id')}, p.{q('path')} FROM {q('cases_case')} c "  # noqa: S608
        f"JOIN {q('places_place')} p ON p.{q('id')} = c.{q('place_id')}"
    )
    assert rawsql.name(Case, "place_path") == q("place_path")


def test_a_name_that_is_no_column_is_refused(db):
    import pytest

    from shuren.cases.models import Case

    with pytest.raises(ValueError, match="no column"):
        rawsql.name(Case, "parties")
