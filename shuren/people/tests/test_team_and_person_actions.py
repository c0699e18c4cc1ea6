"""Teams and their members are kept, and a person's details changed, only through their actions:
by the roles allowed inside their subtrees, with one event and one outbox row each; the new
member is told; a stale page is refused; personal numbers never reach the change log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from shuren.kernel.models import Event, Outbox
from shuren.kernel.versions import StaleVersion
from shuren.notify.models import Notification
from shuren.people.actions import change_person, change_team, create_team, join_team, leave_team
from shuren.people.models import Membership, MembershipRole, Person, Team, TeamKind, today
from shuren.testing import deliver

ESTATE = "GC-JD-JYLW"


def written() -> tuple[int, int]:
    return Event.objects.count(), Outbox.objects.count()


def team(code: str = "T-JYLW-HMJ") -> Team:
    return Team.objects.get(code=code)


def the_event(obj) -> Event:
    return Event.objects.get(subject_type=obj._meta.label_lower, subject_id=obj.pk)


# --- teams --------------------------------------------------------------------------------------


def test_community_staff_found_a_team_in_their_community(world):
    before = written()
    new = create_team(
        actor=world.user("demo-shequ"),
        kind=TeamKind.PATROL_TEAM,
        name="金域蓝湾巡逻队",
        code="T-JYLW-XL",
        place=world.place(ESTATE),
        founded_on=dt.date(2026, 1, 1),
    )
    assert written() == (before[0] + 1, before[1] + 1)
    assert the_event(new).kind == "team.created"
    assert new.place.code == ESTATE


@pytest.mark.parametrize(
    "actor", ["demo-shequ2", "demo-louzhang", "demo-wangge", "demo-secadmin", "demo-auditor"]
)
def test_a_team_is_founded_only_inside_the_founders_subtree(world, actor):
    with pytest.raises(PermissionDenied):
        create_team(
            actor=world.user(actor),
            kind=TeamKind.PATROL_TEAM,
            name="巡逻队",
            code="T-X",
            place=world.place(ESTATE),
        )
    assert not Team.objects.filter(code="T-X").exists()


def test_dissolving_a_team_is_a_dated_change(world):
    red_vests = change_team(
        actor=world.user("demo-shequ"),
        team=team(),
        kind=TeamKind.SPECIAL_TEAM,
        name="关爱红马甲",
        place=world.place(ESTATE),
        description="",
        founded_on=None,
        dissolved_on=dt.date(2026, 6, 30),
    )
    assert red_vests.dissolved_on == dt.date(2026, 6, 30)
    assert the_event(red_vests).data == {"fields": ["dissolved_on"]}


def test_a_team_does_not_move_out_of_the_keepers_subtree(world):
    with pytest.raises(PermissionDenied):
        change_team(
            actor=world.user("demo-shequ"),
            team=team(),
            kind=TeamKind.SPECIAL_TEAM,
            name="关爱红马甲",
            place=world.place("GC-TC-JYZY"),
            description="",
            founded_on=None,
            dissolved_on=None,
        )
    assert team().place.code == ESTATE


# --- memberships --------------------------------------------------------------------------------


def test_joining_a_team_tells_the_new_member(world):
    before = written()
    membership = join_team(
        actor=world.user("demo-shequ"),
        team=team(),
        person=world.person("P-LZ1"),
        role=MembershipRole.LEAD,
    )
    assert written() == (before[0] + 1, before[1] + 1)
    event = the_event(membership)
    assert (event.kind, event.data["role"]) == ("membership.joined", MembershipRole.LEAD)
    deliver()
    note = Notification.objects.get(recipient=world.user("demo-louzhang"))
    assert note.title == "你已加入关爱红马甲"


def test_leaving_a_team_dates_the_membership_and_tells_the_member(world):
    membership = join_team(actor=None, team=team(), person=world.person("P-LZ1"))
    before = written()
    left = leave_team(actor=world.user("demo-shequ"), membership=membership, note="身体原因")
    assert left.ends_on == today()
    assert written() == (before[0] + 1, before[1] + 1)
    assert Event.objects.filter(subject_id=membership.pk, kind="membership.left").exists()
    deliver()
    kinds = Notification.objects.filter(recipient=world.user("demo-louzhang")).values_list(
        "kind", flat=True
    )
    assert sorted(kinds) == ["membership.joined", "membership.left"]


@pytest.mark.parametrize("actor", ["demo-shequ2", "demo-louzhang", "demo-secadmin", "demo-auditor"])
def test_members_are_added_only_by_the_teams_keepers(world, actor):
    with pytest.raises(PermissionDenied):
        join_team(actor=world.user(actor), team=team(), person=world.person("P-CHEN"))
    assert not Membership.objects.filter(team=team()).exists()


def test_nobody_adds_themselves_to_a_team(world):
    with pytest.raises(PermissionDenied):
        join_team(actor=world.user("demo-shequ"), team=team(), person=world.person("P-SQ"))


def test_a_member_is_not_added_twice_nor_to_a_dissolved_team(world):
    join_team(actor=None, team=team(), person=world.person("P-CHEN"))
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as twice:
            join_team(actor=None, team=team(), person=world.person("P-CHEN"))
        assert twice.value.messages == ["陈美玲已是关爱红马甲的成员。"]
        Team.objects.filter(pk=team().pk).update(dissolved_on=dt.date(2025, 1, 1))
        with pytest.raises(ValidationError) as dissolved:
            join_team(actor=None, team=team(), person=world.person("P-ZHAO"))
        assert dissolved.value.messages == ["关爱红马甲已于2025-01-01解散。"]


# --- persons ------------------------------------------------------------------------------------


def test_community_staff_correct_a_residents_phone_with_one_event_that_names_no_number(world):
    wang = world.person("P-WANG")
    before = written()
    changed = change_person(
        actor=world.user("demo-shequ"),
        person=wang,
        phone="13900002222",
        expected_version=wang.version,
    )
    assert (changed.phone, changed.version) == ("13900002222", wang.version + 1)
    assert changed.id_number == "440602195803031231"  # None keeps what is stored
    assert written() == (before[0] + 1, before[1] + 1)
    event = the_event(changed)
    assert (event.kind, event.data) == ("person.changed", {"fields": ["phone"]})
    assert "13900002222" not in str(event.data) + event.note


def test_a_change_on_a_stale_page_is_refused(world):
    wang = world.person("P-WANG")
    change_person(actor=None, person=wang, name="王秀英婆婆")
    before = written()
    with pytest.raises(StaleVersion):
        change_person(
            actor=world.user("demo-shequ"), person=wang, name="王阿姨", expected_version=1
        )
    assert written() == before
    assert Person.objects.get(pk=wang.pk).name == "王秀英婆婆"


@pytest.mark.parametrize(
    "actor", ["demo-shequ2", "demo-louzhang", "demo-resident", "demo-secadmin", "demo-auditor"]
)
def test_a_persons_details_are_changed_only_by_an_editor_in_scope(world, actor):
    with pytest.raises(PermissionDenied):
        change_person(actor=world.user(actor), person=world.person("P-WANG"), name="改名")
    assert world.person("P-WANG").name == "王秀英"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"phone": "call me"}, "请输入只含数字的电话号码。"),
        ({"id_number": "440602195803031234"}, "身份证号最后一位校验码不正确。"),
        ({"id_number": "12345"}, "身份证号共 18 位：前 17 位为数字，最后一位为数字或 X。"),
        ({"name": "  "}, "请填写姓名。"),
        ({"code": "P-CHEN"}, "编码P-CHEN已被另一人使用。"),
    ],
)
def test_bad_details_are_refused_with_a_clear_message(world, kwargs, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        change_person(actor=world.user("demo-shequ"), person=world.person("P-WANG"), **kwargs)
    assert refused.value.messages == [message]


def test_the_same_details_again_write_nothing(world):
    before = written()
    change_person(actor=None, person=world.person("P-WANG"), name="王秀英", phone="13812345678")
    assert written() == before
