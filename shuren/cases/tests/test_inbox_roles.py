"""Each role's inbox holds what that role works on, and nothing it may not see."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from shuren.cases import actions
from shuren.cases.inbox.queries import InboxKind, inbox_cases, inboxes_for
from shuren.cases.models import Case, OverdueFlag


def numbers(client, **params) -> list[str]:
    response = client.get(reverse("cases:inbox"), params)
    assert response.status_code == 200
    return re.findall(r'class="case-no">([A-Z]+-\d{4}-\d+)<', response.content.decode())


def kinds_of(world, username: str) -> list[str]:
    return [inbox.kind for inbox in inboxes_for(world.user(username))]


@pytest.fixture
def cases(report, world):
    """Open cases in building 1, building 2, a 同成 tower and the 江滨 lane, and a settled one."""
    b1 = report(title="楼上漏水到我家")
    b2 = report("demo-louzhang2", place="GC-JD-JYLW-B02-U1", title="2栋楼道堆放杂物")
    t1 = report("demo-shequ2", place="GC-TC-JYZY-T1", title="T1栋电梯异响")
    lane = report("demo-xiangzhang", place="GC-JB-L01-B01", title="巷口垃圾无人清理")
    settled = report(title="已经处理好的噪音")
    actions.resolve_case(
        actor=world.user("demo-louzhang"), case=settled, method="on_the_spot", summary="已劝说"
    )
    return {"b1": b1, "b2": b2, "t1": t1, "lane": lane, "settled": settled}


def test_every_role_has_its_inboxes_work_first_then_what_it_handled_then_its_own_reports(world):
    handled, mine = InboxKind.HANDLED, InboxKind.MINE
    assert kinds_of(world, "demo-resident") == [mine]
    assert kinds_of(world, "demo-louzhang") == [InboxKind.AREA, handled, mine]
    assert kinds_of(world, "demo-xiangzhang") == [InboxKind.AREA, handled, mine]
    assert kinds_of(world, "demo-shequ") == [InboxKind.COMMUNITY, handled, mine]
    assert kinds_of(world, "demo-wangge") == [InboxKind.COMMUNITY, handled, mine]
    assert kinds_of(world, "demo-wuye") == [InboxKind.ASSIGNED, handled, mine]
    assert kinds_of(world, "demo-tiaojie") == [InboxKind.ASSIGNED, handled, mine]
    assert kinds_of(world, "demo-jiedao") == [InboxKind.SUBDISTRICT, handled, mine]
    assert kinds_of(world, "demo-auditor") == [mine]
    assert inboxes_for(world.user("nobody")) == []


def test_the_building_leader_sees_the_open_matters_of_their_building(client, login, cases):
    login("demo-louzhang")
    assert numbers(client) == [cases["b1"].number]


def test_the_lane_leader_sees_the_lane(client, login, cases):
    login("demo-xiangzhang")
    assert numbers(client) == [cases["lane"].number]


def test_community_staff_see_the_whole_community_and_nothing_of_the_sibling(client, login, cases):
    login("demo-shequ")
    assert set(numbers(client)) == {cases["b1"].number, cases["b2"].number}
    login("demo-shequ2")
    assert numbers(client) == [cases["t1"].number]


def test_the_property_company_sees_what_was_assigned_to_it_or_its_people(
    client, login, cases, world
):
    login("demo-wuye")
    assert numbers(client) == []  # nothing dispatched yet, though it sees the estate
    shequ = world.user("demo-shequ")
    company = world.place("GC-JD-JYLW").property_company
    actions.assign_case(actor=shequ, case=cases["b1"], team=company)
    actions.assign_case(actor=shequ, case=cases["b2"], person=world.person("P-WY"))
    assert set(numbers(client)) == {cases["b1"].number, cases["b2"].number}


def test_the_mediator_sees_what_the_workshop_was_given(client, login, cases, world):
    workshop = world.person("P-TJ").posts.filter(team__isnull=False).first().team
    actions.assign_case(actor=world.user("demo-shequ2"), case=cases["t1"], team=workshop)
    login("demo-tiaojie")
    assert numbers(client) == [cases["t1"].number]


def test_subdistrict_staff_see_what_reached_tier_4_and_what_is_overdue(client, login, cases, world):
    login("demo-jiedao")
    assert numbers(client) == []
    actions.escalate_case(
        actor=world.user("demo-louzhang2"), case=cases["b2"], reason="需社区协调", to_tier=3
    )
    actions.escalate_case(
        actor=world.user("demo-shequ"), case=cases["b2"], reason="需街道协调", to_tier=4
    )
    Case.objects.filter(pk=cases["lane"].pk).update(overdue=OverdueFlag.RED)
    assert numbers(client) == [cases["lane"].number, cases["b2"].number]  # overdue first


def test_the_resident_follows_every_report_of_theirs_whatever_its_state(client, login, cases):
    login("demo-resident")
    assert numbers(client) == [cases["settled"].number, cases["b1"].number]


def test_the_leader_can_switch_to_the_matters_they_recorded(client, login, cases):
    login("demo-louzhang2")
    assert numbers(client, view="mine") == [cases["b2"].number]
    assert numbers(client, view="area") == [cases["b2"].number]


@pytest.mark.parametrize("username", ["demo-auditor", "demo-secadmin", "demo-admin"])
def test_the_three_administrators_have_no_work_inbox(client, login, cases, username):
    login(username)
    assert numbers(client) == []


def test_an_account_without_a_person_is_told_to_ask_the_office(client, login):
    login("nobody")
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 200
    assert "您的账号还没有关联住户或职务" in response.content.decode()


def test_every_inbox_is_inside_what_the_user_may_see(world, cases):
    for username in ("demo-louzhang", "demo-shequ", "demo-wuye", "demo-jiedao", "demo-resident"):
        user = world.user(username)
        visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        for inbox in inboxes_for(user):
            assert set(inbox_cases(user, inbox).values_list("pk", flat=True)) <= visible


def test_community_staff_get_a_dispatch_button_for_what_nobody_has_yet(client, login, cases, world):
    company = world.place("GC-JD-JYLW").property_company
    actions.assign_case(actor=world.user("demo-shequ"), case=cases["b2"], team=company)
    login("demo-shequ")
    body = client.get(reverse("cases:inbox")).content.decode()
    assert f"/cases/{cases['b1'].pk}/?act=assign#act-assign" in body
    assert f"/cases/{cases['b2'].pk}/?act=assign" not in body
    login("demo-louzhang")
    assert "act=assign" not in client.get(reverse("cases:inbox")).content.decode()


def test_every_home_page_links_to_the_inbox(client, login):
    for username in ("demo-resident", "demo-louzhang", "demo-shequ", "demo-wuye", "demo-jiedao"):
        login(username)
        assert 'href="/cases/?view=' in client.get("/").content.decode()
