"""A joint meeting from its notice to its decisions' follow-through, through the actions: who
organises, who sees it (organisers over its place and its invitees, the property company's
staff through their post; nobody else), check-in by the code, attendance by hand, minutes
approved by more than half of those present, decisions with owners and deadlines, and a matter
on the agenda settled by the meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shuren.cases.choices import ResolutionMethod
from shuren.cases.links import links_of
from shuren.deliberation.actions import (
    add_agenda_item,
    approve_minutes,
    call_meeting,
    check_in,
    complete_decision,
    draft_minutes,
    mark_attendance,
    record_decision,
)
from shuren.deliberation.meetings.choices import ItemStatus, Kind, Minutes
from shuren.deliberation.meetings.rules import available_actions, decision_actions
from shuren.deliberation.models import Attendance, Meeting, MeetingEvent
from shuren.deliberation.tests.meeting_fixtures import START, TITLE, call_joint_meeting
from shuren.kernel.models import Outbox
from shuren.kernel.versions import StaleVersion
from shuren.people.models import Team

pytestmark = pytest.mark.django_db

DURING = START + dt.timedelta(minutes=20)


def test_calling_a_meeting_tells_every_invitee_with_a_link(world):
    meeting = call_joint_meeting(world)
    row = Outbox.objects.get(kind="meeting.called")
    told = set(row.recipients)
    assert told == {world.user("demo-resident").pk, world.user("demo-wuye").pk}
    assert row.params["link"] == f"/deliberation/meetings/{meeting.pk}/"
    assert len(meeting.checkin_code) == 6
    assert meeting.checkin_code.isdigit()
    assert MeetingEvent.objects.filter(meeting=meeting).count() == 1


def test_the_invitees_and_organisers_see_it_and_an_uninvited_building_leader_does_not(world):
    meeting = call_joint_meeting(world)
    for username in ("demo-shequ", "demo-jiedao", "demo-resident", "demo-wuye"):
        assert Meeting.objects.visible_to(world.user(username)).filter(pk=meeting.pk).exists()
    for username in ("demo-louzhang", "demo-louzhang2", "demo-shequ2", "demo-tiaojie", "nobody"):
        assert not Meeting.objects.visible_to(world.user(username)).filter(pk=meeting.pk).exists()


def test_a_leader_or_the_sibling_community_cannot_call_a_meeting_here(world):
    for username in ("demo-louzhang", "demo-resident", "demo-shequ2", "demo-wuye"):
        with pytest.raises(PermissionDenied):
            call_joint_meeting(world, username)
    assert not Meeting.objects.exists()


def test_a_meeting_without_invitees_or_ending_before_it_starts_is_refused_in_words(world):
    with pytest.raises(ValidationError) as refused:
        call_joint_meeting(world, persons=[], teams=[])
    assert refused.value.code == "invitees"
    with pytest.raises(ValidationError) as refused:
        call_joint_meeting(world, ends_at=START - dt.timedelta(minutes=1))
    assert refused.value.code == "ends_at"
    assert not Meeting.objects.exists()


def test_a_retried_form_finds_the_meeting_it_already_called(world):
    first = call_joint_meeting(world, token="form-token-1")
    again = call_joint_meeting(world, token="form-token-1")
    assert again.pk == first.pk
    assert Meeting.objects.count() == 1


def test_invitees_check_in_with_the_code_only_while_the_meeting_is_on(world):
    meeting = call_joint_meeting(world)
    wang = world.user("demo-resident")
    with pytest.raises(ValidationError) as refused:
        check_in(
            actor=wang, meeting=meeting, code=meeting.checkin_code, at=START - dt.timedelta(hours=2)
        )
    assert refused.value.code == "closed"
    with pytest.raises(ValidationError) as refused:
        check_in(
            actor=wang,
            meeting=meeting,
            code="000000" if meeting.checkin_code != "000000" else "111111",
            at=DURING,
        )
    assert refused.value.code == "code"
    check_in(actor=wang, meeting=meeting, code=meeting.checkin_code, at=DURING)
    check_in(actor=wang, meeting=meeting, code=meeting.checkin_code, at=DURING)  # twice: once
    assert Attendance.objects.filter(meeting=meeting).count() == 1
    assert "check_in" not in available_actions(wang, meeting, DURING)
    with pytest.raises(PermissionDenied):
        check_in(
            actor=world.user("demo-louzhang"), meeting=meeting, code=meeting.checkin_code, at=DURING
        )


def test_the_organiser_marks_an_invited_elder_present_but_not_a_stranger(world):
    meeting = call_joint_meeting(world, persons=[world.person("P-WANG"), world.person("P-DENG")])
    staff = world.user("demo-shequ")
    mark_attendance(actor=staff, meeting=meeting, person=world.person("P-DENG"), at=DURING)
    assert Attendance.objects.get(meeting=meeting).how == "by_hand"
    with pytest.raises(ValidationError) as refused:
        mark_attendance(actor=staff, meeting=meeting, person=world.person("P-HE"), at=DURING)
    assert refused.value.code == "not_invited"


def test_minutes_are_approved_when_more_than_half_of_those_present_approve_the_same_draft(world):
    meeting = call_joint_meeting(world)
    staff, wang, wuye = (world.user(u) for u in ("demo-shequ", "demo-resident", "demo-wuye"))
    for user in (wang, wuye):
        check_in(actor=user, meeting=meeting, code=meeting.checkin_code, at=DURING)
    mark_attendance(actor=staff, meeting=meeting, person=world.person("P-SQ"), at=DURING)
    meeting = draft_minutes(
        actor=staff,
        meeting=meeting,
        text="一、车位划线。",
        expected_version=meeting.version,
        at=DURING,
    )
    assert set(Outbox.objects.get(kind="meeting.minutes").recipients) == {wang.pk, wuye.pk}
    approve_minutes(actor=wang, meeting=meeting, revision=1, at=DURING)
    # A new draft: the old approval no longer counts, and an approval of the old text is refused.
    meeting = draft_minutes(
        actor=staff,
        meeting=meeting,
        text="一、车位划线，物业负责。",
        expected_version=meeting.version,
        at=DURING,
    )
    with pytest.raises(ValidationError) as refused:
        approve_minutes(actor=wuye, meeting=meeting, revision=1, at=DURING)
    assert refused.value.code == "stale_draft"
    approve_minutes(actor=wang, meeting=meeting, revision=2, at=DURING)
    meeting.refresh_from_db()
    assert meeting.minutes_status == Minutes.DRAFT  # 1 of 3 present
    approve_minutes(actor=wuye, meeting=meeting, revision=2, at=DURING)
    meeting.refresh_from_db()
    assert meeting.minutes_status == Minutes.APPROVED  # 2 of 3
    with pytest.raises(ValidationError):
        draft_minutes(actor=staff, meeting=meeting, text="改", at=DURING)


def test_someone_absent_cannot_approve_and_a_stale_draft_form_is_a_conflict(world):
    meeting = call_joint_meeting(world)
    staff = world.user("demo-shequ")
    draft_minutes(
        actor=staff, meeting=meeting, text="纪要", expected_version=meeting.version, at=DURING
    )
    with pytest.raises(PermissionDenied):
        approve_minutes(actor=world.user("demo-resident"), meeting=meeting, revision=1, at=DURING)
    with pytest.raises(StaleVersion):
        draft_minutes(
            actor=staff, meeting=meeting, text="纪要二", expected_version=meeting.version, at=DURING
        )


def test_only_the_named_secretary_drafts_the_minutes(world):
    meeting = call_joint_meeting(world, secretary=world.person("P-WANG"))
    with pytest.raises(PermissionDenied):
        draft_minutes(actor=world.user("demo-wuye"), meeting=meeting, text="纪要", at=DURING)
    draft_minutes(actor=world.user("demo-resident"), meeting=meeting, text="纪要", at=DURING)


def test_a_decision_has_an_owner_and_a_deadline_and_the_owner_is_told(world):
    meeting = call_joint_meeting(world)
    company = Team.objects.get(code="WY-JYLW")
    decision = record_decision(
        actor=world.user("demo-shequ"),
        meeting=meeting,
        text="物业两周内完成地面车位划线",
        owner_team=company,
        due_on=dt.date(2026, 3, 18),
        at=DURING,
    )
    assert decision.status == ItemStatus.OPEN
    row = Outbox.objects.get(kind="meeting.decided")
    assert list(row.recipients) == [world.user("demo-wuye").pk]
    wuye = world.user("demo-wuye")
    assert decision_actions(wuye, decision) == ["complete_decision"]
    assert decision_actions(world.user("demo-shequ"), decision) == [
        "complete_decision",
        "cancel_decision",
    ]
    assert decision_actions(world.user("demo-resident"), decision) == []
    done = complete_decision(
        actor=wuye,
        decision=decision,
        note="已划线120个",
        expected_version=decision.version,
        at=DURING + dt.timedelta(days=5),
    )
    assert done.status == ItemStatus.DONE
    assert world.user("demo-shequ").pk in Outbox.objects.get(kind="meeting.item_closed").recipients


def test_the_owner_must_be_invited_and_the_deadline_not_past(world):
    meeting = call_joint_meeting(world)
    staff = world.user("demo-shequ")
    with pytest.raises(ValidationError) as refused:
        record_decision(
            actor=staff,
            meeting=meeting,
            text="x",
            owner_person=world.person("P-LZ1"),
            due_on=dt.date(2026, 3, 18),
            at=DURING,
        )
    assert refused.value.code == "owner"
    with pytest.raises(ValidationError) as refused:
        record_decision(
            actor=staff,
            meeting=meeting,
            text="x",
            owner_person=world.person("P-WANG"),
            due_on=dt.date(2026, 3, 3),
            at=DURING,
        )
    assert refused.value.code == "due_on"
    with pytest.raises(ValidationError) as refused:
        record_decision(
            actor=staff,
            meeting=meeting,
            text="x",
            owner_person=world.person("P-WANG"),
            due_on=dt.date(2026, 3, 18),
            at=START - dt.timedelta(days=1),
        )
    assert refused.value.code == "early"


def test_a_decision_settles_a_matter_on_the_agenda_and_the_matter_links_the_meeting(world, report):
    # Reported by the community's staff at the community's tier: theirs to settle.
    case = report(
        username="demo-shequ",
        place="GC-JD-JYLW",
        category_code="parking",
        title="小区夜间乱停车堵消防通道",
        tier=3,
    )
    staff = world.user("demo-shequ")
    meeting = call_joint_meeting(world)
    item = add_agenda_item(actor=staff, meeting=meeting, title="乱停车", cases=[case], at=DURING)
    decision = record_decision(
        actor=staff,
        meeting=meeting,
        text="消防通道划禁停线，物业每晚巡查",
        owner_team=Team.objects.get(code="WY-JYLW"),
        due_on=dt.date(2026, 3, 18),
        agenda_item=item,
        settles=case,
        at=DURING,
    )
    case.refresh_from_db()
    assert decision.settled
    assert case.resolution_method == ResolutionMethod.JOINT_MEETING
    assert TITLE in case.resolution_summary
    links = links_of(staff, case)
    assert [link.url for link in links] == [meeting.get_absolute_url()]
    assert links_of(world.user("demo-louzhang"), case)[0].url == ""  # not invited: no link


def test_a_matter_the_organiser_cannot_see_is_not_taken_up(world, report):
    case = report(username="demo-resident", place="GC-JD-JYLW-B01", title="楼道堆放杂物")
    meeting = call_joint_meeting(
        world, "demo-jiedao", place=world.place("GC-TC-JYZY"), secretary=None
    )
    with pytest.raises(ValidationError):
        add_agenda_item(
            actor=world.user("demo-shequ2"), meeting=meeting, title="x", cases=[case], at=DURING
        )


def test_a_committee_member_calls_the_owners_assembly_of_their_estate_only(world):
    from shuren.people.models import Post
    from shuren.people.roles import Role

    Post.objects.create(
        person=world.person("P-CHEN"),
        role=Role.YEWEIHUI,
        place=world.place("GC-JD-JYLW"),
        starts_on=dt.date(2020, 1, 1),
    )
    from django.contrib.auth import get_user_model

    chen = get_user_model().objects.create(username="chen", person=world.person("P-CHEN"))
    assembly = call_joint_meeting(
        world, "chen", kind=Kind.ASSEMBLY, title="业主大会", secretary=None
    )
    assert assembly.pk
    with pytest.raises(PermissionDenied):
        call_joint_meeting(world, "chen", kind=Kind.JOINT, secretary=None)
    staff_meeting = call_meeting(
        actor=world.user("demo-shequ"),
        place=world.place("GC-JD-JYLW"),
        kind=Kind.JOINT,
        title="社区联席会议",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=1),
        venue="会议室",
        persons=[world.person("P-WANG")],
        at=START - dt.timedelta(days=1),
    )
    seen = set(Meeting.objects.visible_to(chen).values_list("pk", flat=True))
    assert assembly.pk in seen
    assert staff_meeting.pk not in seen
