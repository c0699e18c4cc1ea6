"""The place tree: subtree queries and moving a subtree keep every path correct."""

import pytest
from django.core.exceptions import ValidationError

from shuren.places.actions import create_place, move_place
from shuren.places.models import Place, PlaceKind
from shuren.places.paths import path_successor


def test_path_successor_bounds_the_subtree():
    assert path_successor("0000000001") == "0000000002"
    assert path_successor("00000000010000000099") == "00000000010000000100"


def test_subtree_is_one_query(world, django_assert_num_queries):
    estate = world.place("GC-JD-JYLW")
    with django_assert_num_queries(1):
        codes = set(Place.objects.subtree(estate).values_list("code", flat=True))
    assert codes == {
        "GC-JD-JYLW",
        "GC-JD-JYLW-B01",
        "GC-JD-JYLW-B01-U1",
        "GC-JD-JYLW-B02",
        "GC-JD-JYLW-B02-U1",
    }


def test_ancestors_are_root_first(world):
    unit = world.place("GC-JD-JYLW-B01-U1")
    assert [p.code for p in unit.ancestors()] == ["GC", "GC-JD", "GC-JD-JYLW", "GC-JD-JYLW-B01"]


def test_moving_a_building_moves_its_whole_subtree(world):
    building = world.place("GC-JD-JYLW-B02")
    old_village = world.place("GC-JD-JDXC")
    move_place(actor=None, place=building, new_parent=old_village)

    moved = set(Place.objects.subtree(old_village).values_list("code", flat=True))
    assert {"GC-JD-JYLW-B02", "GC-JD-JYLW-B02-U1"} <= moved
    assert (
        not Place.objects.subtree(world.place("GC-JD-JYLW")).filter(code="GC-JD-JYLW-B02").exists()
    )
    unit = world.place("GC-JD-JYLW-B02-U1")
    assert unit.depth == 4
    assert [p.code for p in unit.ancestors()] == ["GC", "GC-JD", "GC-JD-JDXC", "GC-JD-JYLW-B02"]


def test_moving_changes_who_can_see_the_households(world):
    from shuren.places.models import Household

    move_place(
        actor=None, place=world.place("GC-JD-JYLW-B02"), new_parent=world.place("GC-TC-JYZY")
    )
    assert Household.objects.visible_to(world.user("demo-shequ2")).filter(code="H-B02-201").exists()
    assert (
        not Household.objects.visible_to(world.user("demo-shequ")).filter(code="H-B02-201").exists()
    )


def test_a_place_cannot_move_under_its_own_subtree(world):
    with pytest.raises(ValidationError):
        move_place(
            actor=None, place=world.place("GC-JD-JYLW"), new_parent=world.place("GC-JD-JYLW-B01")
        )


def test_tree_shape_is_checked(world):
    with pytest.raises(ValidationError):
        create_place(
            actor=None, kind=PlaceKind.ESTATE, name="x", code="X1", parent=world.place("GC")
        )
    with pytest.raises(ValidationError):
        move_place(actor=None, place=world.place("GC-JD-JYLW-B01"), new_parent=world.place("GC"))
