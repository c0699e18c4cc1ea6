"""Who answers at tier 1: the hand-written look-up intake uses agrees with responsible_users."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shuren.cases.responsible import building_leaders, responsible_users
from shuren.people.models import Post
from shuren.people.roles import Role
from shuren.places.models import Place


def _same(place):
    fast = [(u.pk, u.language, u.is_active) for u in building_leaders(place)]
    orm = [(u.pk, u.language, u.is_active) for u in responsible_users(place, 1, category=None)]
    assert fast == orm, place.code
    return fast


def test_the_leaders_agree_with_responsible_users_for_every_place(world):
    from django.contrib.auth import get_user_model

    from shuren.people.models import Person

    band = world.place("GC-TC-JYZY-T1-F29")
    person = Person.objects.create(name="高层楼长", code="P-T1-F29")
    Post.objects.create(
        person=person, role=Role.LOUZHANG, place=band, starts_on=dt.date(2020, 1, 1)
    )
    band_leader = get_user_model().objects.create(username="t1-f29-leader", person=person)
    found = {place.code: _same(place) for place in Place.objects.order_by("path")}
    assert found["GC-JD-JYLW-B01-U1"]  # the stairwell's 楼长
    assert found["GC-JB-L01-B01"]  # a house in the lane: its 巷长
    # a tower: the leaders of its floor bands below it, and only that band's below the band
    assert band_leader.pk in [pk for pk, _l, _a in found["GC-TC-JYZY-T1"]]
    assert band_leader.pk in [pk for pk, _l, _a in found["GC-TC-JYZY-T1-F29"]]
    assert band_leader.pk not in [pk for pk, _l, _a in found["GC-TC-JYZY-T1-F01"]]
    assert not found["GC"]  # nobody leads a whole subdistrict at tier 1


def test_ended_posts_and_inactive_users_do_not_answer(world):
    unit = world.place("GC-JD-JYLW-B01-U1")
    leader = world.user("demo-louzhang")
    assert leader.pk in [pk for pk, _language, _active in _same(unit)]
    type(leader).objects.filter(pk=leader.pk).update(is_active=False)
    assert leader.pk not in [u.pk for u in building_leaders(unit)]
    _same(unit)
    type(leader).objects.filter(pk=leader.pk).update(is_active=True)
    Post.objects.filter(person=leader.person, role=Role.LOUZHANG).update(
        ends_on=timezone.localdate() - dt.timedelta(days=1)
    )
    assert leader.pk not in [u.pk for u in building_leaders(unit)]
    _same(unit)


@pytest.mark.parametrize("code", ["GC-TC-JYZY-T1-F01", "GC-JD-JYLW-B02", "GC-GY-S01"])
def test_the_users_come_back_whole_enough_to_notify(world, code):
    for user in building_leaders(world.place(code)):
        assert user.is_active is True
        assert user.person_id
        assert user.language in ("", "zh-hans", "en")
