"""Households, their owners and residents, and shops change only through their actions: inside
the editor's subtree, one event and one outbox row each, a stale page refused; owners the
editor cannot see stay owners."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from shuren.kernel.models import Event, Outbox
from shuren.kernel.versions import StaleVersion
from shuren.places.actions import (
    change_household,
    change_resident,
    change_shop,
    create_household,
    create_shop,
    move_in,
    move_out,
)
from shuren.places.models import Household, Relation, Resident, Shop, ShopKind

UNIT = "GC-JD-JYLW-B01-U1"


def written() -> tuple[int, int]:
    return Event.objects.count(), Outbox.objects.count()


def kinds(obj) -> list[str]:
    return list(
        Event.objects.filter(subject_type=obj._meta.label_lower, subject_id=obj.pk).values_list(
            "kind", flat=True
        )
    )


def household_details(household: Household, **changes: object) -> dict[str, object]:
    values = {
        "place": household.place,
        "code": household.code,
        "room": household.room,
        "floor": household.floor,
        "exclusive_area": household.exclusive_area,
    }
    return {**values, **changes}


# --- households ---------------------------------------------------------------------------------


def test_community_staff_add_a_household_with_its_owner(world):
    before = written()
    household = create_household(
        actor=world.user("demo-shequ"),
        place=world.place(UNIT),
        code="H-B01-103",
        room="103",
        exclusive_area=Decimal("88.00"),
        owners=[world.person("P-CHEN")],
    )
    assert written() == (before[0] + 1, before[1] + 1)
    assert list(household.owners.values_list("code", flat=True)) == ["P-CHEN"]
    assert kinds(household) == ["household.created"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"room": "101"}, "这个区划的房号 101 已属于户 H-B01-101。"),
        ({"code": "H-B01-102"}, "编码H-B01-102已被另一户使用。"),
        ({"exclusive_area": Decimal("0")}, "面积必须大于 0。"),
        ({"place": "GC-JD-JYLW"}, "户只能挂在楼栋、单元或楼层段下，不能挂在“小区”下。"),
    ],
)
def test_a_household_that_cannot_be_is_refused_with_a_clear_message(world, kwargs, message):
    values = {"place": world.place(UNIT), "code": "H-B01-103", "room": "103", **kwargs}
    if isinstance(values["place"], str):
        values["place"] = world.place(values["place"])
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        create_household(actor=world.user("demo-shequ"), **values)
    assert refused.value.messages == [message]


def test_changing_the_area_and_owners_is_one_event_on_the_version_seen(world):
    household = world.household("H-B01-102")
    changed = change_household(
        actor=world.user("demo-shequ"),
        household=household,
        owners=[world.person("P-CHEN"), world.person("P-ZHAO")],
        expected_version=household.version,
        **household_details(household, exclusive_area=Decimal("121.00")),
    )
    assert changed.version == household.version + 1
    assert sorted(changed.owners.values_list("code", flat=True)) == ["P-CHEN", "P-ZHAO"]
    event = Event.objects.get(subject_id=household.pk, kind="household.changed")
    assert event.data == {
        "fields": ["exclusive_area"],
        "owners_added": [world.person("P-ZHAO").pk],
        "owners_removed": [],
    }
    with pytest.raises(StaleVersion):
        change_household(
            actor=world.user("demo-shequ"),
            household=household,
            expected_version=household.version,
            **household_details(household, floor=1),
        )


def test_owners_the_editor_cannot_see_stay_owners(world):
    household = world.household("H-B01-102")
    outsider = world.person("P-HUANG")  # lives in 同成, out of 尖东 staff's sight
    household.owners.add(outsider)
    change_household(
        actor=world.user("demo-shequ"),
        household=household,
        owners=[],
        **household_details(household),
    )
    assert list(household.owners.values_list("code", flat=True)) == ["P-HUANG"]
    with pytest.raises(PermissionDenied):  # nor can they add someone they cannot see
        create_household(
            actor=world.user("demo-shequ"),
            place=world.place(UNIT),
            code="H-B01-103",
            room="103",
            owners=[outsider],
        )


@pytest.mark.parametrize("actor", ["demo-shequ2", "demo-louzhang", "demo-auditor"])
def test_a_household_is_changed_only_by_an_editor_of_its_place(world, actor):
    household = world.household("H-B01-102")
    with pytest.raises(PermissionDenied):
        change_household(
            actor=world.user(actor), household=household, **household_details(household, floor=1)
        )


def test_a_household_does_not_move_out_of_the_editors_subtree(world):
    household = world.household("H-B01-102")
    with pytest.raises(PermissionDenied):
        change_household(
            actor=world.user("demo-shequ"),
            household=household,
            **household_details(household, place=world.place("GC-TC-JYZY-T1-F01")),
        )


# --- residents ----------------------------------------------------------------------------------


def test_a_person_moves_in_and_out_each_one_event(world):
    household = world.household("H-B01-102")
    before = written()
    resident = move_in(
        actor=world.user("demo-shequ"),
        household=household,
        person=world.person("P-ZHAO"),
        relation=Relation.TENANT,
        moved_in_on=dt.date(2026, 3, 1),
    )
    moved_out = move_out(
        actor=world.user("demo-shequ"), resident=resident, moved_out_on=dt.date(2026, 9, 30)
    )
    assert moved_out.moved_out_on == dt.date(2026, 9, 30)
    assert written() == (before[0] + 2, before[1] + 2)
    assert kinds(resident) == ["resident.moved_in", "resident.moved_out"]
    back = move_in(actor=None, household=household, person=world.person("P-ZHAO"))
    assert (back.pk, back.moved_out_on) == (resident.pk, None)  # the same row, moved back in


def test_moving_in_twice_or_out_before_in_is_refused(world):
    household = world.household("H-B01-101")
    resident = Resident.objects.get(household=household, person__code="P-WANG")
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as twice:
            move_in(actor=None, household=household, person=world.person("P-WANG"))
        assert twice.value.messages == ["王秀英已住在这一户。"]
        change_resident(
            actor=None, resident=resident, relation=Relation.HEAD, moved_in_on=dt.date(2020, 5, 1)
        )
        with pytest.raises(ValidationError) as early:
            move_out(actor=None, resident=resident, moved_out_on=dt.date(2020, 1, 1))
        assert early.value.messages == ["迁出日期不能早于迁入日期（2020-05-01）。"]


def test_residents_are_recorded_only_by_an_editor_of_the_household(world):
    household = world.household("H-B01-101")
    with pytest.raises(PermissionDenied):
        move_in(
            actor=world.user("demo-louzhang"), household=household, person=world.person("P-CHEN")
        )
    resident = Resident.objects.get(household=household, person__code="P-WANG")
    with pytest.raises(PermissionDenied):
        move_out(
            actor=world.user("demo-shequ2"), resident=resident, moved_out_on=dt.date(2026, 1, 1)
        )


# --- shops --------------------------------------------------------------------------------------


def test_shops_are_added_and_changed_on_a_street(world):
    street = world.place("GC-GY-S01")
    shop = create_shop(
        actor=world.user("demo-jiedao"),
        place=street,
        code="GC-GY-S01-SHOP04",
        name="桂雅路4号制衣厂",
        kind=ShopKind.GARMENT_FACTORY,
    )
    changed = change_shop(
        actor=world.user("demo-jiedao"),
        shop=shop,
        place=street,
        code=shop.code,
        name="桂雅路4号制衣厂",
        kind=ShopKind.GARMENT_FACTORY,
        address="桂雅路4号",
        contact=None,
    )
    assert changed.address == "桂雅路4号"
    assert kinds(shop) == ["shop.created", "shop.changed"]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        create_shop(actor=None, place=world.place(UNIT), code="X", name="x", kind=ShopKind.RETAIL)
    assert refused.value.messages == ["商铺只能设在街上。"]


def test_a_shop_is_changed_only_inside_the_editors_subtree(world):
    shop = Shop.objects.get(code="GC-GY-S01-SHOP01")
    with pytest.raises(PermissionDenied):
        change_shop(
            actor=world.user("demo-shequ"),
            shop=shop,
            place=shop.place,
            code=shop.code,
            name="改名",
            kind=shop.kind,
            address="",
            contact=None,
        )
