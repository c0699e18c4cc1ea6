"""An inbox page's rows: the hand-written read gives what the ORM would, in the page's order."""

from __future__ import annotations

from shuren.cases import actions
from shuren.cases.inbox.queries import ROW_FIELDS, page_rows
from shuren.cases.models import Case, Category


def test_page_rows_carry_the_same_fields_and_names_as_the_orm(world, report):
    company = world.place("GC-JD-JYLW").property_company
    shequ = world.user("demo-shequ")
    first = report(title="楼上漏水")
    second = report(category_code="neighbour-noise", title="夜里装修")
    actions.assign_case(actor=shequ, case=second, team=company)
    third = report("demo-louzhang2", place="GC-JD-JYLW-B02-U1", title="杂物堆放")
    ids = [third.pk, first.pk, second.pk]
    rows = page_rows(ids)
    assert [r.pk for r in rows] == ids  # the page's order, not the table's
    for row in rows:
        orm = Case.objects.select_related(
            "category__parent", "place", "assignee_person", "assignee_team"
        ).get(pk=row.pk)
        for name in ROW_FIELDS:
            assert getattr(row, name) == getattr(orm, name), name
        assert row.category.full_label == orm.category.full_label
        assert row.place.name == orm.place.name
        assert (row.assignee_team and row.assignee_team.name) == (
            orm.assignee_team and orm.assignee_team.name
        )
    assert rows[2].assignee_team.name == company.name
    assert rows[0].reported_at.tzinfo is not None


def test_a_case_of_a_category_no_longer_in_use_still_shows_it(world, report):
    case = report(category_code="neighbour-pets")
    Category.objects.filter(code="neighbour-pets").update(active=False)
    (row,) = page_rows([case.pk])
    assert row.category.code == "neighbour-pets"
    assert row.category.parent.code == "neighbour"


def test_a_missing_id_is_left_out_and_no_ids_cost_nothing(world, report, django_assert_num_queries):
    case = report()
    assert [r.pk for r in page_rows([case.pk, 10**12])] == [case.pk]
    with django_assert_num_queries(0):
        assert page_rows([]) == []


def test_a_deferred_field_still_loads_on_access(world, report):
    case = report(description="每天傍晚都有")
    (row,) = page_rows([case.pk])
    assert row.description == "每天傍晚都有"
