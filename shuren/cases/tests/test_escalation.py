"""Escalation up the ladder: the right tier, the reason, and the right people told."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shuren.cases.actions import assign_case, escalate_case
from shuren.cases.models import Status, Tier
from shuren.cases.responsible import responsible_users
from shuren.notify.models import Notification
from shuren.people.models import Membership, Post, Team, TeamKind
from shuren.people.roles import Role
from shuren.testing import deliver


def told(case, kind="case.escalated") -> set[str]:
    deliver()
    return set(
        Notification.objects.filter(object_id=str(case.pk), kind=kind).values_list(
            "recipient__username", flat=True
        )
    )


def usernames(users) -> set[str]:
    return {u.username for u in users}


def test_community_staff_hear_when_a_case_in_jinyu_lanwan_reaches_tier_3(world, report):
    case = escalate_case(
        actor=world.user("demo-louzhang"), case=report(), reason="调解不成，需社区出面", to_tier=3
    )
    assert (case.current_tier, case.max_tier) == (Tier.COMMUNITY, Tier.COMMUNITY)
    assert "demo-shequ" in told(case)
    # The community's staff, and the resident who reported it, in their own words.
    assert told(case) == {"demo-shequ", "demo-wangge", "demo-resident"}
    note = Notification.objects.get(object_id=str(case.pk), recipient__username="demo-shequ")
    assert note.title == f"{case.number} 已上报至社区：楼下邻居晒咸鱼，气味很大"
    assert note.body == "调解不成，需社区出面"
    # Staff of the sibling community hear nothing.
    assert "demo-shequ2" not in told(case)


def test_one_tier_up_by_default_reaches_the_property_company(world, report):
    case = escalate_case(actor=world.user("demo-louzhang"), case=report(), reason="涉及公共管道")
    assert case.current_tier == Tier.ESTATE
    assert told(case) == {"demo-wuye", "demo-resident"}


def test_an_estate_tier_with_nobody_to_answer_is_skipped(world, report):
    # The old village has no property company, no self-governance leads with accounts.
    case = report("demo-shequ", "GC-JD-JDXC-B01", title="楼道灯坏了", category_code="facilities")
    assert case.current_tier == Tier.COMMUNITY
    case = escalate_case(actor=world.user("demo-shequ"), case=case, reason="社区无法解决")
    assert case.current_tier == Tier.SUBDISTRICT
    assert told(case) == {"demo-jiedao"}


def test_a_referral_beyond_the_subdistrict_is_recorded_and_the_subdistrict_told(world, report):
    case = report("demo-jiedao", "GC-JD-JYLW-B01", tier=Tier.SUBDISTRICT)
    case = escalate_case(
        actor=world.user("demo-jiedao"),
        case=case,
        reason="涉嫌违法搭建，移交区执法局",
        referred_to="禅城区城管执法局",
    )
    assert (case.current_tier, case.max_tier) == (Tier.BEYOND, Tier.BEYOND)
    event = case.events.order_by("pk").last()
    assert event.data["referred_to"] == "禅城区城管执法局"
    assert event.data["automatic"] is False
    assert told(case) == set()  # the actor is the only subdistrict staff member
    with pytest.raises(ValidationError) as err:
        escalate_case(actor=world.user("demo-jiedao"), case=case, reason="再上报")
    assert err.value.code == "top_tier"


def test_only_upward(world, report):
    case = escalate_case(actor=world.user("demo-louzhang"), case=report(), reason="r", to_tier=3)
    with pytest.raises(ValidationError) as err:
        escalate_case(actor=world.user("demo-shequ"), case=case, reason="r", to_tier=2)
    assert err.value.code == "not_higher"
    assert err.value.messages == ["事项只能上报到更高一级（现在在：社区）。"]


def test_a_reason_is_required(world, report):
    with pytest.raises(ValidationError) as err:
        escalate_case(actor=world.user("demo-louzhang"), case=report(), reason="  ")
    assert err.value.messages == ["请说明上报的理由。"]


def test_the_leader_hands_up_and_can_no_longer_act_at_tier_3(world, report):
    leader = world.user("demo-louzhang")
    case = escalate_case(actor=leader, case=report(), reason="r", to_tier=3)
    with pytest.raises(PermissionDenied):
        escalate_case(actor=leader, case=case, reason="r")


def test_escalation_clears_the_assignee_and_the_new_tier_takes_it_up(world, report):
    team = world.place("GC-JD-JYLW").property_company
    shequ = world.user("demo-shequ")
    case = report("demo-shequ", tier=3, channel="phone")
    case = assign_case(actor=shequ, case=case, team=team)
    assert case.status == Status.IN_PROGRESS
    case = escalate_case(actor=shequ, case=case, reason="需要街道协调", to_tier=4)
    assert case.status == Status.ACCEPTED
    assert case.assignee_team is None


class TestResponsible:
    def test_tier_1_is_the_building_leader(self, world):
        unit = world.place("GC-JD-JYLW-B01-U1")
        assert usernames(responsible_users(unit, 1, category=None)) == {"demo-louzhang"}

    def test_tier_1_of_a_lane_is_the_lane_leader(self, world):
        assert usernames(responsible_users(world.place("GC-JB-L01-B01"), 1, category=None)) == {
            "demo-xiangzhang"
        }

    def test_tier_1_of_a_shop_street_is_the_street_leader(self, world):
        assert usernames(responsible_users(world.place("GC-GY-S01"), 1, category=None)) == {
            "demo-jiezhang"
        }

    def test_tier_1_of_a_tower_finds_the_floor_band_leaders(self, world):
        from shuren.accounts.models import User
        from shuren.people.models import Person

        band = world.place("GC-TC-JYZY-T1-F29")
        person = Person.objects.create(name="高层楼长")
        Post.objects.create(person=person, role=Role.LOUZHANG, place=band)
        User.objects.create(username="tower-leader", person=person)
        assert usernames(responsible_users(world.place("GC-TC-JYZY-T1"), 1, category=None)) == {
            "tower-leader"
        }

    def test_tier_2_includes_self_governance_leads(self, world):
        from shuren.accounts.models import User
        from shuren.people.models import Person

        estate = world.place("GC-JD-JDXC")
        group = Team.objects.get(code="T-JDXC-ZZ")
        assert group.kind == TeamKind.SELF_GOVERNANCE
        lead = Person.objects.create(name="自治组长")
        Membership.objects.create(team=group, person=lead, role="lead")
        member = Person.objects.create(name="组员")
        Membership.objects.create(team=group, person=member, role="member")
        User.objects.create(username="zizhi-lead", person=lead)
        User.objects.create(username="zizhi-member", person=member)
        assert usernames(responsible_users(world.place("GC-JD-JDXC-B01"), 2, category=None)) == {
            "zizhi-lead"
        }
        assert usernames(responsible_users(estate, 2, category=None)) == {"zizhi-lead"}

    def test_an_ended_post_answers_no_more(self, world):
        import datetime as dt

        Post.objects.filter(person__code="P-LZ1").update(ends_on=dt.date(2020, 1, 1))
        assert (
            usernames(responsible_users(world.place("GC-JD-JYLW-B01"), 1, category=None)) == set()
        )

    def test_tier_4_is_the_subdistrict_staff(self, world):
        assert usernames(responsible_users(world.place("GC-JB-L01-B01"), 4, category=None)) == {
            "demo-jiedao"
        }
