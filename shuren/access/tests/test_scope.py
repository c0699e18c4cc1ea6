"""Scope: each role sees exactly the subtree its posts give it."""

from shuren.access.scope import compute_scope
from shuren.people.models import Person
from shuren.places.models import Household, Place


def codes(qs):
    return set(qs.values_list("code", flat=True))


def test_leader_sees_own_building_and_its_households(world):
    user = world.user("demo-louzhang")
    places = codes(Place.objects.visible_to(user))
    assert places == {"GC-JD-JYLW-B01", "GC-JD-JYLW-B01-U1"}
    assert codes(Household.objects.visible_to(user)) == {"H-B01-101", "H-B01-102"}


def test_leader_cannot_see_other_building(world):
    user = world.user("demo-louzhang")
    assert not Place.objects.visible_to(user).filter(code="GC-JD-JYLW-B02").exists()
    assert not Household.objects.visible_to(user).filter(code="H-B02-201").exists()


def test_resident_sees_own_household_and_places_above_up_to_estate(world):
    user = world.user("demo-resident")
    assert codes(Place.objects.visible_to(user)) == {
        "GC-JD-JYLW",
        "GC-JD-JYLW-B01",
        "GC-JD-JYLW-B01-U1",
    }
    assert codes(Household.objects.visible_to(user)) == {"H-B01-101"}


def test_property_company_sees_the_estates_it_manages(world):
    user = world.user("demo-wuye")
    places = codes(Place.objects.visible_to(user))
    assert "GC-JD-JYLW" in places
    assert "GC-JD-JYLW-B02-U1" in places
    assert "GC-JD-JDXC" not in places  # same community, no property company
    assert "GC-TC-JYZY" not in places


def test_community_staff_sees_whole_community_only(world):
    user = world.user("demo-shequ")
    places = codes(Place.objects.visible_to(user))
    assert {"GC-JD", "GC-JD-JYLW", "GC-JD-JDXC-B01"} <= places
    assert not places & {"GC", "GC-TC", "GC-TC-JYZY"}


def test_auditor_sees_no_places(world):
    assert not Place.objects.visible_to(world.user("demo-auditor")).exists()


def test_scope_is_one_query_per_request_after_first(world, django_assert_num_queries):
    user = world.user("demo-shequ")
    scope = compute_scope(user)
    with django_assert_num_queries(1):
        list(Person.objects.filter(scope.person_q()).values_list("pk", flat=True))


def test_a_leader_living_in_their_building_has_only_the_range_in_their_scope(world):
    from shuren.places.models import Resident

    leader = world.user("demo-louzhang")
    Resident.objects.create(household=world.household("H-B01-102"), person=leader.person)
    scope = compute_scope(leader)
    assert scope.roots == (world.place("GC-JD-JYLW-B01").path,)
    assert scope.households == frozenset()  # inside the building they lead already
    # the estate above is outside the post's subtree, so it stays as a single place
    assert scope.home_paths == frozenset({world.place("GC-JD-JYLW").path})
    assert scope.is_resident


def test_a_leader_still_sees_the_estate_they_live_in(world):
    from shuren.places.models import Resident

    leader = world.user("demo-louzhang")
    Resident.objects.create(household=world.household("H-B01-102"), person=leader.person)
    assert Place.objects.visible_to(leader).filter(code="GC-JD-JYLW").exists()
