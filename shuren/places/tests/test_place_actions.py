"""The place tree changes only through its actions: by a role that edits places, inside its
subtree, each change one event and one outbox row; a stale page is refused; moving a subtree
stays one UPDATE and cases follow it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from shuren.kernel.models import Event, Outbox
from shuren.kernel.versions import StaleVersion
from shuren.people.models import Team
from shuren.places.actions import change_place, create_place, move_place, rename_place
from shuren.places.models import Place, PlaceKind

ESTATE, B1, B2 = "GC-JD-JYLW", "GC-JD-JYLW-B01", "GC-JD-JYLW-B02"


def written() -> tuple[int, int]:
    return Event.objects.count(), Outbox.objects.count()


def events(place: Place) -> list[str]:
    return list(
        Event.objects.filter(subject_type="places.place", subject_id=place.pk).values_list(
            "kind", flat=True
        )
    )


def details(place: Place, **changes: object) -> dict[str, object]:
    values = {
        "code": place.code,
        "official_code": place.official_code,
        "storeys": place.storeys,
        "floor_from": place.floor_from,
        "floor_to": place.floor_to,
        "property_company": place.property_company,
        "address": place.address,
    }
    return {**values, **changes}


def test_community_staff_add_a_building_with_one_event_and_one_outbox_row(world):
    before = written()
    building = create_place(
        actor=world.user("demo-shequ"),
        kind=PlaceKind.BUILDING,
        name="3栋",
        code="GC-JD-JYLW-B03",
        parent=world.place(ESTATE),
        storeys=18,
    )
    assert building.path == world.place(ESTATE).path + f"{building.pk:010d}"
    assert written() == (before[0] + 1, before[1] + 1)
    assert events(building) == ["place.created"]


@pytest.mark.parametrize(
    "actor", ["demo-shequ2", "demo-louzhang", "demo-tiaojie", "demo-secadmin", "demo-auditor"]
)
def test_a_place_is_added_only_under_a_parent_the_actor_edits(world, actor):
    with pytest.raises(PermissionDenied):
        create_place(
            actor=world.user(actor),
            kind=PlaceKind.BUILDING,
            name="3栋",
            code="GC-JD-JYLW-B03",
            parent=world.place(ESTATE),
        )
    assert not Place.objects.filter(code="GC-JD-JYLW-B03").exists()


def test_only_the_system_adds_a_new_top_of_the_tree(world):
    with pytest.raises(PermissionDenied):
        create_place(
            actor=world.user("demo-jiedao"),
            kind=PlaceKind.SUBDISTRICT,
            name="大沥",
            code="DL",
            parent=None,
        )
    assert create_place(actor=None, kind=PlaceKind.SUBDISTRICT, name="大沥", code="DL", parent=None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"code": "GC-JD-JYLW-B01"}, "编码GC-JD-JYLW-B01已被另一个区划使用。"),
        ({"name": " "}, "请填写区划名称。"),
        ({"kind": PlaceKind.ESTATE}, "小区不能放在小区之下。"),
        ({"floor_from": 9, "floor_to": 3}, "结束楼层低于起始楼层。"),
    ],
)
def test_a_place_that_cannot_be_is_refused_with_a_clear_message(world, kwargs, message):
    values = {"kind": PlaceKind.BUILDING, "name": "3栋", "code": "GC-JD-JYLW-B03", **kwargs}
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        create_place(actor=world.user("demo-shequ"), parent=world.place(ESTATE), **values)
    assert refused.value.messages == [message]


def test_renaming_checks_the_version_the_editor_saw(world):
    building = world.place(B1)
    renamed = rename_place(
        actor=world.user("demo-shequ"), place=building, name="一栋", expected_version=1
    )
    assert (renamed.name, renamed.version) == ("一栋", 2)
    assert events(building) == ["place.renamed"]
    with pytest.raises(StaleVersion):
        rename_place(
            actor=world.user("demo-shequ"), place=building, name="壹栋", expected_version=1
        )
    assert world.place(B1).name == "一栋"


def test_the_same_name_again_writes_nothing(world):
    before = written()
    rename_place(actor=None, place=world.place(B1), name="1栋")
    assert written() == before


def test_changing_details_names_the_fields_in_the_event(world):
    building = world.place(B1)
    changed = change_place(
        actor=world.user("demo-wangge"),
        place=building,
        expected_version=building.version,
        **details(building, storeys=20, address="桂城街道南五路1号"),
    )
    assert (changed.storeys, changed.version) == (20, building.version + 1)
    event = Event.objects.get(subject_id=building.pk, kind="place.changed")
    assert event.data == {"fields": ["storeys", "address"]}


def test_only_an_estate_has_a_property_company(world):
    building = world.place(B1)
    company = Team.objects.get(code="WY-JYLW")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        change_place(actor=None, place=building, **details(building, property_company=company))
    assert refused.value.messages == ["只有小区可以填写物业公司。"]


def test_a_building_leader_does_not_change_places(world):
    building = world.place(B1)
    with pytest.raises(PermissionDenied):
        change_place(actor=world.user("demo-louzhang"), place=building, **details(building))


def test_moving_a_subtree_is_one_event_on_the_moved_place(world):
    building, old_village = world.place(B2), world.place("GC-JD-JDXC")
    before = written()
    moved = move_place(
        actor=world.user("demo-shequ"), place=building, new_parent=old_village, reason="重新划片"
    )
    assert written() == (before[0] + 1, before[1] + 1)
    assert moved.path.startswith(old_village.path)
    assert world.place("GC-JD-JYLW-B02-U1").path.startswith(moved.path)
    event = Event.objects.get(subject_id=building.pk, kind="place.moved")
    assert (event.note, event.data["places"], event.data["to_parent"]) == (
        "重新划片",
        2,
        old_village.pk,
    )


def test_a_move_needs_both_ends_in_the_editors_subtree(world):
    with pytest.raises(PermissionDenied):
        move_place(
            actor=world.user("demo-shequ"),
            place=world.place(B2),
            new_parent=world.place("GC-TC-JYZY"),
        )
    assert world.place(B2).parent == world.place(ESTATE)


def test_a_move_to_the_same_parent_writes_nothing(world):
    before = written()
    move_place(actor=None, place=world.place(B2), new_parent=world.place(ESTATE))
    assert written() == before
