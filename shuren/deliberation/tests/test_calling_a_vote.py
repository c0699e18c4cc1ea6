"""Calling an owners' vote fixes its electorate from the register at the notice, and refuses a
vote the law does not allow (a short notice, a place that is not an estate, building or
stairwell, units without an area) in words, writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shuren.deliberation.actions import call_vote
from shuren.deliberation.models import Vote, VoteEvent, VoteOwner, VoteUnit
from shuren.deliberation.votes.choices import Matter
from shuren.kernel.models import Outbox
from shuren.workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

NOTICE = dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def _call(world, username="demo-shequ", place="GC-JD-JYLW-B01-U1", **extra):
    values = {
        "place": world.place(place),
        "matter": Matter.REBUILD,
        "title": "1栋1单元加装电梯",
        "opens_at": NOTICE + dt.timedelta(days=15),
        "closes_at": NOTICE + dt.timedelta(days=22),
        "at": NOTICE,
    }
    values.update(extra)
    return call_vote(actor=world.user(username), **values)


def test_community_staff_call_a_vote_and_its_electorate_is_the_stairwells_owners(world):
    vote = _call(world)
    units = {u.room: u for u in VoteUnit.objects.filter(vote=vote)}
    assert set(units) == {"101", "102"}
    assert (
        units["101"].area + units["102"].area
        == world.household("H-B01-101").exclusive_area + world.household("H-B01-102").exclusive_area
    )
    wang = world.person("P-WANG")
    assert units["101"].owner_key == f"p{wang.pk}"
    assert VoteOwner.objects.filter(vote=vote, person=wang).count() == 1
    assert VoteEvent.objects.get(vote=vote).data == {"units": 2, "owners": 2}
    row = Outbox.objects.filter(kind="vote.called").latest("pk")
    assert list(row.recipients) == [world.user("demo-resident").pk]


def test_an_owner_sees_their_vote_and_a_neighbour_in_another_building_does_not(world):
    vote = _call(world)
    assert Vote.objects.visible_to(world.user("demo-resident")).filter(pk=vote.pk).exists()
    assert Vote.objects.visible_to(world.user("demo-shequ")).filter(pk=vote.pk).exists()
    assert not Vote.objects.visible_to(world.user("demo-louzhang2")).filter(pk=vote.pk).exists()
    assert not Vote.objects.visible_to(world.user("demo-shequ2")).filter(pk=vote.pk).exists()


def test_a_notice_shorter_than_fifteen_days_is_refused_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as refused:
        _call(world, opens_at=NOTICE + dt.timedelta(days=14, hours=23))
    assert refused.value.code == "notice_period"
    assert "2026-03-17" in refused.value.messages[0]
    assert not Vote.objects.exists()


def test_fifteen_days_to_the_minute_is_enough(world):
    assert _call(world, opens_at=NOTICE + dt.timedelta(days=15)).pk


def test_a_community_is_not_a_place_owners_vote_over(world):
    with pytest.raises(ValidationError) as refused:
        _call(world, place="GC-JD")
    assert refused.value.code == "place"


def test_a_unit_without_an_area_stops_the_vote_and_is_named(world):
    household = world.household("H-B01-102")
    type(household).objects.filter(pk=household.pk).update(exclusive_area=None)
    with pytest.raises(ValidationError) as refused:
        _call(world)
    assert refused.value.code == "area_missing"
    assert "102" in refused.value.messages[0]
    assert not VoteUnit.objects.exists()


def test_unsold_developer_units_share_one_owner_key(world):
    type(world.household("H-B01-101")).objects.filter(code__in=["H-B01-101", "H-B01-102"]).update(
        developer_unsold=True
    )
    vote = _call(world)
    assert set(VoteUnit.objects.filter(vote=vote).values_list("owner_key", flat=True)) == {
        "developer"
    }
    assert not VoteOwner.objects.filter(vote=vote).exists()


def test_a_leader_or_a_resident_cannot_call_a_vote(world):
    for username in ("demo-louzhang", "demo-resident", "demo-shequ2"):
        with pytest.raises(PermissionDenied):
            _call(world, username=username)


def test_a_time_too_late_to_show_in_guicheng_is_refused_in_words(world):
    # 9999-12-31 23:59 UTC is the year 10000 in Asia/Shanghai: every page showing the vote
    # (the owners' home page among them) failed with a 500 when it was let in.
    last = dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as refused:
        _call(world, opens_at=last - dt.timedelta(hours=12), closes_at=last)
    assert refused.value.code == "too_far"
    assert not Vote.objects.exists()
