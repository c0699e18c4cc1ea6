"""The edges of the case actions: entering at a tier, moved places, revealed phones, languages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from shuren.access.models import AccessLog
from shuren.cases.actions import (
    assign_case,
    escalate_case,
    merge_case,
    reveal_contact_phone,
)
from shuren.cases.models import Case, Tier
from shuren.notify.models import Notification
from shuren.people.models import Membership, Team
from shuren.places.actions import move_place
from shuren.testing import deliver


def test_a_resident_may_not_put_their_case_straight_at_the_subdistrict(report):
    with pytest.raises(PermissionDenied):
        report("demo-resident", tier=Tier.SUBDISTRICT)


def test_a_leader_may_not_enter_a_case_above_their_tier(report):
    with pytest.raises(PermissionDenied):
        report("demo-louzhang", "GC-JD-JYLW-B01", tier=Tier.COMMUNITY)
    assert report("demo-louzhang", "GC-JD-JYLW-B01", tier=Tier.BUILDING).current_tier == 1


def test_cases_follow_their_place_when_a_subtree_moves(world, report):
    case = report("demo-jiedao", "GC-JD-JDXC-B01", title="旧村井盖松动")
    estate, other_community = world.place("GC-JD-JDXC"), world.place("GC-TC")
    move_place(actor=None, place=estate, new_parent=other_community)
    case.refresh_from_db()
    assert case.place_path == world.place("GC-JD-JDXC-B01").path
    assert Case.objects.visible_to(world.user("demo-shequ2")).filter(pk=case.pk).exists()
    assert not Case.objects.visible_to(world.user("demo-shequ")).filter(pk=case.pk).exists()


def test_community_staff_reveal_an_anonymous_phone_and_it_is_logged(world, report):
    case = report(
        "demo-louzhang", "GC-JD-JYLW-B01", contact_name="陈阿姨", contact_phone="13612345678"
    )
    shequ = world.user("demo-shequ")
    assert reveal_contact_phone(user=shequ, case=case, reason="回访核实") == "13612345678"
    log = AccessLog.objects.get()
    assert (log.object_type, log.object_id, log.fields, log.reason) == (
        "case",
        str(case.pk),
        "contact_phone",
        "回访核实",
    )


def test_a_leader_may_not_reveal_a_phone(world, report):
    case = report("demo-louzhang", "GC-JD-JYLW-B01", contact_phone="13612345678")
    with pytest.raises(PermissionDenied):
        reveal_contact_phone(user=world.user("demo-louzhang"), case=case, reason="看看")
    assert not AccessLog.objects.exists()


def test_merging_into_a_case_one_cannot_see_is_refused(world, report):
    theirs = report("demo-shequ2", "GC-TC-JYZY-T1-F01", title="外墙掉砖")
    ours = report("demo-shequ", "GC-JD-JYLW-B01", title="外墙掉砖")
    with pytest.raises(PermissionDenied):
        merge_case(actor=world.user("demo-shequ"), case=ours, into=theirs)


def test_each_recipient_reads_the_notification_in_their_own_language(world, report):
    wangge = world.user("demo-wangge")
    wangge.language = "en"
    wangge.save(update_fields=["language"])
    case = escalate_case(actor=world.user("demo-louzhang"), case=report(), reason="r", to_tier=3)
    deliver()
    titles = dict(
        Notification.objects.filter(object_id=str(case.pk), kind="case.escalated").values_list(
            "recipient__username", "title"
        )
    )
    assert titles["demo-shequ"].endswith("已上报至社区：楼下邻居晒咸鱼，气味很大")
    assert titles["demo-wangge"].endswith("Escalated to Community: 楼下邻居晒咸鱼，气味很大")


def test_a_team_without_leads_has_every_member_told(world, report):
    team = Team.objects.get(code="T-JYLW-HMJ")
    Membership.objects.create(team=team, person=world.person("P-WANG"), role="member")
    case = assign_case(actor=world.user("demo-shequ"), case=report(), team=team)
    deliver()
    assert set(
        Notification.objects.filter(object_id=str(case.pk), kind="case.assigned").values_list(
            "recipient__username", flat=True
        )
    ) == {"demo-resident"}
