"""Posts without a login (issue 9, item 8): a building whose 楼长 has no account still enters at
tier 1; the community's inbox marks it 楼长未开通账号; its staff and grid worker take the tier-1
steps for the leader, and what they record says so (代办). Only there."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shuren.cases.actions import accept_case, escalate_case, resolve_case
from shuren.cases.models import CaseEvent, EventKind
from shuren.cases.on_behalf import leader_without_account
from shuren.cases.rules import available_actions
from shuren.notify.models import Notification
from shuren.people.models import Person, Post
from shuren.people.roles import Role
from shuren.testing import START, deliver

OLD_VILLAGE_1 = "GC-JD-JDXC-B01"  # 尖东新村1座: no leader in the shared world


@pytest.fixture
def offline_leader(world):
    """尖东新村1座 gets a 楼长 who has no account (most of them, in life)."""
    person = Person.objects.create(code="P-LZ-OFF", name="陈伯", phone="13100000077")
    post = Post.objects.create(
        person=person, role=Role.LOUZHANG, place=world.place(OLD_VILLAGE_1), starts_on=START
    )
    return post


@pytest.fixture
def waiting(report, offline_leader):
    """A matter reported by phone in 尖东新村1座, whose leader has no account."""
    return report(
        "demo-shequ", OLD_VILLAGE_1, channel="phone", contact_name="邓伯", title="楼道灯坏了"
    )


def told(case) -> set[str]:
    deliver()
    return set(
        Notification.objects.filter(object_id=str(case.pk), kind="case.reported").values_list(
            "recipient__username", flat=True
        )
    )


def test_a_matter_where_the_leader_has_no_account_still_enters_at_tier_1(waiting, offline_leader):
    assert waiting.current_tier == 1
    leader = leader_without_account(waiting)
    assert (leader.post_id, leader.name) == (offline_leader.pk, "陈伯")
    # The leader cannot be told; the community's staff and grid worker are (the staffer who
    # recorded it needs no notice of it).
    assert told(waiting) == {"demo-wangge"}


def test_without_any_leader_it_enters_where_someone_answers_as_before(report):
    case = report("demo-shequ", OLD_VILLAGE_1, channel="phone", contact_name="邓伯")
    assert case.current_tier == 3


def test_the_community_inbox_marks_it_and_only_it(client, login, report, waiting):
    report()  # building 1, whose leader has an account
    login("demo-shequ")
    page = client.get(reverse("cases:inbox")).content.decode()
    assert page.count("楼长未开通账号") == 1
    (row,) = [tr for tr in page.split("<tr")[1:] if waiting.number in tr]
    assert "楼长未开通账号" in row


@pytest.mark.parametrize("username", ["demo-shequ", "demo-wangge"])
def test_community_staff_and_the_grid_worker_take_the_tier_1_steps_for_the_leader(
    world, waiting, offline_leader, username
):
    user = world.user(username)
    assert set(available_actions(user, waiting)) >= {"accept", "resolve", "escalate"}
    case = accept_case(actor=user, case=waiting)
    case = resolve_case(actor=user, case=case, method="on_the_spot", summary="已换灯泡")
    assert case.settled_tier == 1
    behalf = {"post": offline_leader.pk, "person": offline_leader.person_id, "name": "陈伯"}
    for kind in (EventKind.ACCEPTED, EventKind.RESOLVED):
        assert CaseEvent.objects.get(case=case, kind=kind).data["on_behalf_of"] == behalf


def test_an_escalation_for_the_leader_says_so_too(world, waiting, offline_leader):
    case = escalate_case(actor=world.user("demo-wangge"), case=waiting, reason="需社区统一维修")
    event = CaseEvent.objects.get(case=case, kind=EventKind.ESCALATED)
    assert event.data["on_behalf_of"]["name"] == "陈伯"
    assert (event.from_tier, event.to_tier) == (1, 3)


def test_the_case_page_says_who_is_acted_for_and_the_timeline_says_代办(
    client, login, world, waiting
):
    accept_case(actor=world.user("demo-wangge"), case=waiting)
    login("demo-shequ")
    page = client.get(reverse("cases:detail", args=[waiting.pk])).content.decode()
    assert "楼长未开通账号" in page
    assert "本楼楼长陈伯尚未开通账号" in page
    assert "代办：代陈伯办理（未开通账号）" in page


def test_only_where_the_leader_has_no_account(world, report):
    case = report()  # building 1: its leader has an account
    shequ = world.user("demo-shequ")
    assert leader_without_account(case) is None
    assert "accept" not in available_actions(shequ, case)
    with pytest.raises(PermissionDenied):
        accept_case(actor=shequ, case=case)
    accept_case(actor=world.user("demo-louzhang"), case=case)
    assert "on_behalf_of" not in CaseEvent.objects.get(case=case, kind=EventKind.ACCEPTED).data


def test_once_the_leader_has_an_account_the_steps_are_theirs(
    world, waiting, offline_leader, django_user_model
):
    leader = django_user_model.objects.create(username="chenbo", person=offline_leader.person)
    waiting = type(waiting).objects.get(pk=waiting.pk)  # a new request
    shequ = world.user("demo-shequ")
    assert "accept" not in available_actions(shequ, waiting)
    assert available_actions(leader, waiting)[:1] == ["accept"]
    accept_case(actor=leader, case=waiting)
    assert "on_behalf_of" not in CaseEvent.objects.get(case=waiting, kind="accepted").data


def test_nobody_else_acts_for_the_leader(world, waiting):
    for username in ("demo-jiedao", "demo-shequ2", "demo-louzhang", "demo-resident", "demo-wuye"):
        user = world.user(username)
        assert not {"accept", "resolve", "escalate"} & set(available_actions(user, waiting)), (
            username
        )


def test_a_resident_reads_no_staff_note_on_their_matter(client, world, waiting, django_user_model):
    deng = Person.objects.create(code="P-DENG-2", name="邓伯二", phone="13100000066")
    waiting.reporter = deng
    type(waiting).objects.filter(pk=waiting.pk).update(reporter=deng)
    client.force_login(django_user_model.objects.create(username="deng2", person=deng))
    page = client.get(reverse("cases:detail", args=[waiting.pk])).content.decode()
    assert "楼长未开通账号" not in page


def test_the_api_offers_the_steps_and_takes_them_for_the_leader(client, world, waiting):
    client.force_login(world.user("demo-wangge"))
    detail = client.get(f"/api/v1/cases/{waiting.pk}").json()
    assert detail["actions"][:2] == ["accept", "resolve"]
    body = client.post(
        f"/api/v1/cases/{waiting.pk}/accept",
        {"version": detail["version"]},
        content_type="application/json",
    ).json()
    assert body["events"][-1]["data"]["on_behalf_of"]["name"] == "陈伯"
