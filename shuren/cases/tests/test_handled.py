"""Matters a person handled (经手的): they keep them in a list of their own, see their progress
and may add notes after they moved up; visible_to grants exactly that, no more."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shuren.cases import actions
from shuren.cases.inbox.queries import Inbox, InboxKind, inbox_cases
from shuren.cases.models import Case, Status
from shuren.cases.tests.test_case_page import act, buttons, detail, text
from shuren.cases.tests.test_inbox_queries import _count
from shuren.testing import ROLE_USERS


@pytest.fixture
def gate(world, report):
    """The estate's gate, outside 刘楼长's building: staff give it to him, then send it to the
    subdistrict without him (the assignment ends)."""
    case = report("demo-shequ", "GC-JD-JYLW", category_code="facilities", title="小区大门坏了")
    actions.assign_case(actor=world.user("demo-shequ"), case=case, person=world.person("P-LZ1"))
    return actions.escalate_case(
        actor=world.user("demo-shequ"), case=case, reason="需街道协调", to_tier=4
    )


def handled(world, username: str) -> list[str]:
    user = world.user(username)
    return list(inbox_cases(user, Inbox(InboxKind.HANDLED)).values_list("number", flat=True))


class TestTheHandledList:
    def test_the_leader_keeps_what_he_escalated_and_follows_it_to_the_end(self, world, report):
        leader = world.user("demo-louzhang")
        mine = actions.accept_case(actor=leader, case=report())
        mine = actions.escalate_case(actor=leader, case=mine, reason="需社区协调", to_tier=3)
        untouched = report(title="楼道堆放杂物")
        assert handled(world, "demo-louzhang") == [mine.number]
        mine = actions.resolve_case(
            actor=world.user("demo-shequ"), case=mine, method="mediation", summary="已调解"
        )
        assert handled(world, "demo-louzhang") == [mine.number]  # every state, not only open
        assert untouched.number not in handled(world, "demo-louzhang")

    def test_who_was_given_a_matter_keeps_it_even_if_they_did_nothing(self, world, gate):
        assert handled(world, "demo-louzhang") == [gate.number]
        assert handled(world, "demo-louzhang2") == []

    def test_a_team_given_a_matter_keeps_it_for_its_people(self, world, report):
        company = world.place("GC-JD-JYLW").property_company
        case = report("demo-shequ", tier=3, channel="phone")
        case = actions.assign_case(actor=world.user("demo-shequ"), case=case, team=company)
        actions.escalate_case(actor=world.user("demo-shequ"), case=case, reason="r", to_tier=4)
        assert handled(world, "demo-wuye") == [case.number]

    def test_the_list_is_a_tab_of_the_inbox(self, client, login, world, gate):
        login("demo-louzhang")
        page = client.get(reverse("cases:inbox"), {"view": "handled"})
        assert "经手的" in text(page)
        assert gate.number in text(page)

    def test_the_list_costs_what_the_other_inboxes_cost(self, client, login, world, gate, report):
        login("demo-louzhang")
        url = reverse("cases:inbox") + "?view=handled"
        client.get(url)
        few = _count(client, url)
        leader = world.user("demo-louzhang")
        for i in range(25):
            actions.add_note(actor=leader, case=report(title=f"第{i}件"), note="看过")
        # as the others: with the bell's count, and the names of the places above the rows
        assert _count(client, url) == few == 7


class TestTheyKeepSeeingIt:
    def test_the_leader_sees_the_gate_and_its_progress_after_it_moved_up(self, client, login, gate):
        login("demo-louzhang")
        page = client.get(detail(gate))
        assert page.status_code == 200
        assert "上报 · 尖东社工" in text(page)
        assert "第2级 → 第4级" in text(page)
        assert buttons(page) == {"note"}

    def test_and_may_add_a_note_to_it(self, client, login, gate):
        login("demo-louzhang")
        assert act(client, gate, "note", {"note": "门卫说周一来修"}).status_code == 302
        assert gate.events.filter(kind="noted").count() == 1

    def test_but_not_who_reported_it(self, client, world, login, report):
        case = report("demo-shequ", "GC-JD-JYLW", channel="phone", contact_name="李先生")
        actions.assign_case(actor=world.user("demo-shequ"), case=case, person=world.person("P-LZ1"))
        actions.escalate_case(actor=world.user("demo-shequ"), case=case, reason="r", to_tier=4)
        login("demo-louzhang")
        assert "李先生" not in text(client.get(detail(case)))

    def test_a_leader_of_another_building_never_handled_it(self, client, login, gate):
        login("demo-louzhang2")
        assert client.get(detail(gate)).status_code == 404

    def test_the_rule_and_the_queryset_agree_for_every_role(self, world, gate):
        for name in ROLE_USERS:
            user = world.user(name)
            listed = Case.objects.visible_to(user).filter(pk=gate.pk).exists()
            assert listed == user.has_perm("cases.view_case", gate), name
        assert Case.objects.get(pk=gate.pk).status == Status.ACCEPTED
