"""Posts are given and ended only through appoint_post and end_post: by a role that gives that
post, inside its own subtree, never to oneself; each writes one event and one outbox row, tells
the holder, and the holder's scope follows at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from shuren.access.context import scope_of
from shuren.kernel.models import Event, Outbox
from shuren.notify.models import Notification
from shuren.people.actions import appoint_post, end_post
from shuren.people.models import Post, Team, today
from shuren.people.roles import Role
from shuren.testing import deliver

B1, B2, T1 = "GC-JD-JYLW-B01", "GC-JD-JYLW-B02", "GC-TC-JYZY-T1"


def written() -> tuple[int, int]:
    return Event.objects.count(), Outbox.objects.count()


def appoint(world, actor: str | None, *, person="P-CHEN", role=Role.LOUZHANG, place=B1, **kw):
    return appoint_post(
        actor=world.user(actor) if actor else None,
        person=world.person(person),
        role=role,
        place=world.place(place) if place else None,
        **kw,
    )


def team(code: str) -> Team:
    return Team.objects.get(code=code)


def louzhang_post(world) -> Post:
    return Post.objects.get(person__code="P-LZ1", role=Role.LOUZHANG)


# --- appointing ---------------------------------------------------------------------------------


def test_community_staff_appoint_a_building_leader_with_one_event_and_one_outbox_row(world):
    before = written()
    post = appoint(world, "demo-shequ", reason="楼长换届")
    assert written() == (before[0] + 1, before[1] + 1)
    assert (post.role, post.place.code, post.starts_on, post.ends_on) == (
        Role.LOUZHANG,
        B1,
        today(),
        None,
    )
    event = Event.objects.get(subject_type="people.post", subject_id=post.pk)
    assert (event.kind, event.actor.username, event.note) == (
        "post.appointed",
        "demo-shequ",
        "楼长换届",
    )
    assert event.data["role"] == Role.LOUZHANG
    assert Outbox.objects.get(event_id=event.pk).kind == "post.appointed"


def test_the_appointed_user_is_told_in_chinese_and_sees_the_place_at_once(world):
    user = world.user("demo-louzhang2")
    assert not scope_of(user).contains_place(world.place(B1))  # read and kept for the request
    appoint_post(
        actor=world.user("demo-shequ"),
        person=user.person,
        role=Role.LOUZHANG,
        place=world.place(B1),
    )
    assert scope_of(user).contains_place(world.place(B1))
    deliver()
    note = Notification.objects.get(recipient=user)
    assert note.title == f"你已被任命为1栋的楼长，自{today().isoformat()}起"


@pytest.mark.parametrize(
    ("actor", "role", "place"),
    [
        ("demo-shequ", Role.WANGGEYUAN, B1),  # community staff record grid workers
        ("demo-jiedao", Role.SHEQU_STAFF, "GC-JD"),  # the subdistrict appoints community staff
        ("demo-jiedao", Role.LOUZHANG, T1),
        (None, Role.LOUZHANG, B2),  # the system
    ],
)
def test_who_gives_which_post_where(world, actor, role, place):
    post = appoint(world, actor, role=role, place=place)
    assert Post.objects.filter(pk=post.pk).exists()


@pytest.mark.parametrize(
    ("actor", "role", "place"),
    [
        ("demo-shequ2", Role.LOUZHANG, B1),  # another community's staff
        ("demo-shequ", Role.LOUZHANG, T1),  # outside their own community
        ("demo-louzhang", Role.LOUZHANG, B1),  # leaders hold posts, they do not give them
        ("demo-wangge", Role.LOUZHANG, B1),  # nor do grid workers
        ("demo-resident", Role.LOUZHANG, B1),
        ("demo-secadmin", Role.LOUZHANG, B1),  # 三员分立: no place, no posts to give
        ("demo-auditor", Role.LOUZHANG, B1),
        ("demo-admin", Role.SHEQU_STAFF, "GC-JD"),  # 三员分立: it picks no person for a post
        ("demo-admin", Role.LOUZHANG, B2),
        ("demo-shequ", Role.SHEQU_SHUJI, "GC-JD"),  # the secretary is the subdistrict's to name
        ("demo-shequ", Role.JIEDAO_STAFF, "GC-JD"),
    ],
)
def test_a_post_out_of_the_givers_reach_is_refused_and_nothing_is_written(
    world, actor, role, place
):
    before = written(), Post.objects.count()
    with pytest.raises(PermissionDenied):
        appoint(world, actor, role=role, place=place)
    assert (written(), Post.objects.count()) == before


def test_nobody_appoints_themselves(world):
    with pytest.raises(PermissionDenied):
        appoint(world, "demo-jiedao", person="P-JD", role=Role.SHEQU_STAFF, place="GC-JD")


def test_a_property_company_post_needs_every_managed_estate_in_reach(world):
    appoint(world, "demo-shequ", role=Role.WUYE, place=None, team=team("WY-JYLW"))
    with pytest.raises(PermissionDenied):  # 万科 manages 万科金域中央 in 同成
        appoint(world, "demo-shequ", role=Role.WUYE, place=None, team=team("WY-JYZY"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": Role.SYSADMIN, "place": "GC"}, "系统管理员、安全管理员和审计员不在这里任命。"),
        ({"role": Role.WUYE, "place": B1}, "物业公司的职务须挂在物业公司名下：请选择该物业公司。"),
        ({"place": None}, "请选择该职务负责的地点。"),
        ({"role": "mayor"}, "请选择角色。"),
        (
            {"starts_on": dt.date(2026, 3, 1), "ends_on": dt.date(2026, 2, 1)},
            "职务的结束日期不能早于开始日期（2026-03-01）。",
        ),
    ],
)
def test_a_post_that_cannot_be_is_refused_with_a_clear_message(world, kwargs, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        appoint(world, "demo-jiedao", **kwargs)
    assert refused.value.messages == [message]


def test_the_same_post_is_not_given_twice(world):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        appoint(world, "demo-shequ", person="P-LZ1")
    assert refused.value.messages == ["刘楼长已担任该职务。"]


# --- ending -------------------------------------------------------------------------------------


def test_ending_a_post_dates_it_tells_the_holder_and_narrows_their_scope(world):
    user = world.user("demo-louzhang")
    assert scope_of(user).contains_place(world.place(B1))
    before = written()
    yesterday = today() - dt.timedelta(days=1)
    post = end_post(
        actor=world.user("demo-shequ"),
        post=louzhang_post(world),
        ends_on=yesterday,
        reason="搬离小区",
    )
    assert post.ends_on == yesterday
    assert written() == (before[0] + 1, before[1] + 1)
    event = Event.objects.get(subject_type="people.post", subject_id=post.pk)
    assert (event.kind, event.note, event.data["ends_on"]) == (
        "post.ended",
        "搬离小区",
        yesterday.isoformat(),
    )
    deliver()
    assert Notification.objects.filter(recipient=user, kind="post.ended").count() == 1
    fresh = world.user("demo-louzhang")
    assert not scope_of(fresh).contains_place(world.place(B1))


def test_the_holders_own_context_is_forgotten_when_their_post_ends(world):
    user = world.user("demo-louzhang")
    post = louzhang_post(world)
    post.person = user.person  # the same objects the request holds
    assert scope_of(user).contains_place(world.place(B1))
    end_post(actor=None, post=post, ends_on=today() - dt.timedelta(days=1), reason="辞任")
    assert not scope_of(user).contains_place(world.place(B1))


@pytest.mark.parametrize(
    "actor", ["demo-shequ2", "demo-louzhang", "demo-wangge", "demo-secadmin", "demo-auditor"]
)
def test_a_post_is_ended_only_by_someone_who_could_give_it(world, actor):
    before = written()
    with pytest.raises(PermissionDenied):
        end_post(actor=world.user(actor), post=louzhang_post(world), reason="x")
    assert written() == before
    assert louzhang_post(world).ends_on is None


def test_ending_needs_a_reason_and_a_day_after_the_start(world):
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as no_reason:
            end_post(actor=world.user("demo-shequ"), post=louzhang_post(world), reason=" ")
        assert no_reason.value.messages == ["请说明卸任的原因。"]
        with pytest.raises(ValidationError) as too_early:
            end_post(
                actor=world.user("demo-shequ"),
                post=louzhang_post(world),
                reason="x",
                ends_on=dt.date(2018, 12, 31),
            )
        assert too_early.value.messages == ["职务的结束日期不能早于开始日期（2019-01-01）。"]


def test_an_ended_post_stays_history(world):
    post = louzhang_post(world)
    end_post(actor=None, post=post, ends_on=dt.date(2024, 6, 30), reason="换届")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        end_post(actor=None, post=post, ends_on=dt.date(2025, 6, 30), reason="改期")
    assert refused.value.messages == ["该职务已于2024-06-30结束。"]


def test_ending_on_the_day_already_set_writes_nothing(world):
    post = louzhang_post(world)
    later = today() + dt.timedelta(days=30)
    end_post(actor=None, post=post, ends_on=later, reason="任期届满")
    before = written()
    end_post(actor=None, post=post, ends_on=later, reason="任期届满")
    assert written() == before
