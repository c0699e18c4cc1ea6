"""A user's standing: the one statement behind scope, reach and inboxes agrees with the ORM."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.access.context import scope_of, standing_of
from shuren.access.scope import RESIDENT_PLACE_KINDS, resident_place_paths
from shuren.access.standing import read_standing
from shuren.people.models import Membership, Post, Team
from shuren.places.models import ALLOWED_PARENTS, Place, PlaceKind, Resident
from shuren.places.paths import STEP_LEN
from shuren.testing import ROLE_USERS


def _orm_standing(user):
    """The same facts through the ORM, the way scope and reach read them before."""
    posts = sorted(
        (p.role, p.place.path if p.place else None, p.team_id)
        for p in Post.objects.active().filter(person_id=user.person_id).select_related("place")
    )
    memberships = Membership.objects.active().filter(person_id=user.person_id)
    teams = set(memberships.values_list("team_id", flat=True))
    homes = sorted(
        Resident.objects.current()
        .filter(person_id=user.person_id)
        .values_list("household_id", "household__place__path")
    )
    return posts, teams, homes


@pytest.mark.parametrize("username", ROLE_USERS)
def test_standing_agrees_with_the_orm_for_every_role(world, username):
    user = world.user(username)
    held = read_standing(user)
    posts, teams, homes = _orm_standing(user)
    assert sorted((p.role, p.place_path, p.team_id) for p in held.posts) == posts
    assert held.member_of == teams
    assert list(held.homes) == homes


def test_standing_is_one_statement_and_read_once_per_request(world, django_assert_num_queries):
    user = world.user("demo-louzhang")
    with django_assert_num_queries(1):
        standing_of(user)
        standing_of(user)
        scope_of(user)


def test_a_property_company_adds_one_statement_for_its_estates(world, django_assert_num_queries):
    user = world.user("demo-wuye")
    with django_assert_num_queries(2):
        held = read_standing(user)
    company = next(p.team_id for p in held.posts if p.role == "wuye")
    managed = set(Place.objects.filter(property_company_id=company).values_list("path", flat=True))
    assert managed
    assert set(held.company_paths) == managed


def test_ended_and_future_posts_and_memberships_do_not_count(world):
    user = world.user("demo-louzhang")
    today = timezone.localdate()
    team = Team.objects.get(code="T-JYLW-HMJ")
    Post.objects.filter(person=user.person).update(ends_on=today - dt.timedelta(days=1))
    Post.objects.create(
        person=user.person,
        role="louzhang",
        place=world.place("GC-JD-JYLW-B02"),
        starts_on=today + dt.timedelta(days=1),
    )
    Membership.objects.create(
        team=team, person=user.person, starts_on=today - dt.timedelta(days=30), ends_on=today
    )
    held = read_standing(user)
    assert held.posts == ()
    assert team.pk in held.member_of  # ends today: still active today
    Membership.objects.filter(team=team, person=user.person).update(
        ends_on=today - dt.timedelta(days=1)
    )
    assert team.pk not in read_standing(user).member_of


def test_a_resident_who_moved_out_has_no_home(world):
    user = world.user("demo-resident")
    assert read_standing(user).homes
    Resident.objects.filter(person=user.person).update(moved_out_on=timezone.localdate())
    assert read_standing(user).homes == ()


def test_a_post_held_for_a_team_comes_with_its_team(world):
    held = read_standing(world.user("demo-wuye"))
    assert [(p.role, p.place_path) for p in held.posts if p.team_id] == [("wuye", None)]


def test_nobody_logged_in_holds_nothing(world, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert standing_of(AnonymousUser()).posts == ()


def test_the_tree_shape_puts_only_resident_kinds_below_the_community():
    """resident_place_paths() relies on it: the subdistrict is the root, communities stand
    only under it, and every other kind stands under a community or deeper (depth 3 on)."""
    assert ALLOWED_PARENTS[PlaceKind.SUBDISTRICT] == (None,)
    assert ALLOWED_PARENTS[PlaceKind.COMMUNITY] == (PlaceKind.SUBDISTRICT,)
    for kind, parents in ALLOWED_PARENTS.items():
        if kind not in (PlaceKind.SUBDISTRICT, PlaceKind.COMMUNITY):
            assert kind in RESIDENT_PLACE_KINDS
            assert None not in parents, kind
            assert PlaceKind.SUBDISTRICT not in parents, kind


def test_resident_place_paths_run_from_the_estate_to_the_home():
    estate, building, unit = "1" * STEP_LEN * 3, "1" * STEP_LEN * 4, "1" * STEP_LEN * 5
    assert resident_place_paths(unit) == [estate, building, unit]
