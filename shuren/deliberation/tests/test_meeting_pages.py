"""The meeting pages through the test client: the list (paginated, query count pinned), calling
a meeting in two steps (a retried form calls it once), the meeting page with the organiser's
check-in code and QR, check-in by the QR's address and by the code alone, decisions recorded
and marked done, every refusal a page in words (403, 409, 422), out of scope a 404; and the
owner's home listing their open items, overdue in red and in words, until done."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from shuren.deliberation.actions import call_meeting, record_decision
from shuren.deliberation.meetings.choices import ItemStatus, Kind
from shuren.deliberation.models import Attendance, Decision, Meeting
from shuren.people.models import Team

pytestmark = pytest.mark.django_db

LIST = "/deliberation/meetings/"


def _meeting_now(world, **extra):
    """A joint meeting at 金域蓝湾 under way now (started ten minutes ago)."""
    now = timezone.now()
    values = {
        "place": world.place("GC-JD-JYLW"),
        "kind": Kind.JOINT,
        "title": "停车难联席会议",
        "starts_at": now - dt.timedelta(minutes=10),
        "ends_at": now + dt.timedelta(hours=2),
        "venue": "社区会议室",
        "persons": [world.person("P-WANG")],
        "teams": [Team.objects.get(code="WY-JYLW")],
        "agenda": ["车位划线"],
        "at": now - dt.timedelta(days=2),
    }
    values.update(extra)
    return call_meeting(actor=world.user("demo-shequ"), **values)


def test_the_list_shows_the_meetings_one_sees_with_a_pinned_query_count(
    client, login, world, django_assert_max_num_queries
):
    for n in range(25):
        _meeting_now(world, title=f"第{n}次联席会议")
    login("demo-wuye")
    with django_assert_max_num_queries(10):
        page = client.get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert "第24次联席会议" in text
    assert "第0次联席会议" not in text
    assert "召集会议" not in text  # the property company is invited, not an organiser
    assert "第0次联席会议" in client.get(LIST + "?page=2").content.decode()
    login("demo-louzhang")
    assert "联席会议" not in client.get(LIST).content.decode().split("<h2")[1]


def test_staff_call_a_meeting_in_two_steps_and_a_retried_form_calls_it_once(client, login, world):
    login("demo-shequ")
    first = client.get("/deliberation/meetings/new/")
    assert first.status_code == 200
    estate = world.place("GC-JD-JYLW")
    second = client.get(f"/deliberation/meetings/new/?place={estate.pk}")
    text = second.content.decode()
    assert "金域蓝湾物业服务中心" in text
    assert "刘楼长" in text
    token = re.search(r'name="token" value="([^"]+)"', text).group(1)
    company = Team.objects.get(code="WY-JYLW")
    form = {
        "place": estate.pk,
        "token": token,
        "kind": Kind.JOINT,
        "title": "金域蓝湾停车联席会议",
        "starts_at": "2031-03-04T19:30",
        "ends_at": "2031-03-04T21:00",
        "venue": "社区会议室",
        "purpose": "",
        "teams": [company.pk],
        "persons": [world.person("P-LZ1").pk],
        "secretary": "",
        "agenda": "地面车位划线\n夜间临时停车",
    }
    answer = client.post("/deliberation/meetings/new/", form)
    assert answer.status_code == 302
    again = client.post("/deliberation/meetings/new/", form)
    assert again.status_code == 302
    assert again["Location"] == answer["Location"]
    meeting = Meeting.objects.get()
    assert [i.title for i in meeting.agenda.order_by("position")] == [
        "地面车位划线",
        "夜间临时停车",
    ]


def test_no_invitee_is_a_422_in_words_and_a_leader_has_no_form(client, login, world):
    login("demo-shequ")
    estate = world.place("GC-JD-JYLW")
    answer = client.post(
        "/deliberation/meetings/new/",
        {
            "place": estate.pk,
            "token": "t-1",
            "kind": Kind.JOINT,
            "title": "会",
            "starts_at": "2031-03-04T19:30",
            "ends_at": "2031-03-04T21:00",
            "venue": "会议室",
        },
    )
    assert answer.status_code == 422
    assert "至少邀请一个人或一个组织" in answer.content.decode()
    assert not Meeting.objects.exists()
    login("demo-louzhang")
    assert client.get("/deliberation/meetings/new/").status_code == 404


def test_the_organiser_sees_the_code_and_qr_and_an_invitee_checks_in_by_the_qr(
    client, login, world
):
    meeting = _meeting_now(world)
    login("demo-shequ")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert meeting.checkin_code in page
    assert "<svg" in page
    login("demo-wuye")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<svg" not in page  # the code is the organiser's to show, in the room
    shown = client.get(meeting.checkin_url())
    assert f'value="{meeting.checkin_code}"' in shown.content.decode()
    answer = client.post(
        f"/deliberation/meetings/{meeting.pk}/check-in/",
        {"code": meeting.checkin_code, "version": meeting.version},
    )
    assert answer.status_code == 302
    assert Attendance.objects.get(meeting=meeting).person == world.person("P-WY")


def test_typing_the_code_alone_checks_in_and_a_wrong_code_is_a_422(client, login, world):
    meeting = _meeting_now(world)
    login("demo-resident")
    wrong = "000000" if meeting.checkin_code != "000000" else "111111"
    answer = client.post("/deliberation/meetings/check-in/", {"code": wrong})
    assert answer.status_code == 422
    assert "没有" in answer.content.decode() or "No meeting" in answer.content.decode()
    answer = client.post("/deliberation/meetings/check-in/", {"code": meeting.checkin_code})
    assert answer.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, person=world.person("P-WANG")).exists()


def test_out_of_scope_is_a_404_like_a_missing_meeting_and_changes_nothing(client, login, world):
    meeting = _meeting_now(world)
    login("demo-louzhang")
    for url in (
        meeting.get_absolute_url(),
        meeting.checkin_url(),
        "/deliberation/meetings/987654/",
    ):
        assert client.get(url).status_code == 404
    answer = client.post(
        f"/deliberation/meetings/{meeting.pk}/check-in/",
        {"code": meeting.checkin_code, "version": meeting.version},
    )
    assert answer.status_code == 404
    assert not Attendance.objects.exists()


def test_a_decision_is_recorded_from_the_page_and_its_owner_marks_it_done(client, login, world):
    meeting = _meeting_now(world)
    company = Team.objects.get(code="WY-JYLW")
    login("demo-shequ")
    due = timezone.localdate() + dt.timedelta(days=14)
    answer = client.post(
        f"/deliberation/meetings/{meeting.pk}/decision/",
        {
            "version": meeting.version,
            "text": "物业两周内完成划线",
            "owner": f"t{company.pk}",
            "due_on": due.isoformat(),
            "agenda_item": "",
            "settles": "",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    decision = Decision.objects.get()
    login("demo-wuye")
    home = client.get("/").content.decode()
    assert "物业两周内完成划线" in home
    stale = client.post(
        f"/deliberation/meetings/{meeting.pk}/done/",
        {"version": decision.version + 1, "decision": decision.pk, "note": "已划线"},
    )
    assert stale.status_code == 409
    done = client.post(
        f"/deliberation/meetings/{meeting.pk}/done/",
        {"version": decision.version, "decision": decision.pk, "note": "已划线"},
    )
    assert done.status_code == 302
    assert Decision.objects.get().status == ItemStatus.DONE
    assert "物业两周内完成划线" not in client.get("/").content.decode()


def test_an_invitee_who_is_not_the_owner_may_not_mark_an_item_done(client, login, world):
    meeting = _meeting_now(world)
    decision = record_decision(
        actor=world.user("demo-shequ"),
        meeting=meeting,
        text="划线",
        owner_team=Team.objects.get(code="WY-JYLW"),
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    login("demo-resident")
    answer = client.post(
        f"/deliberation/meetings/{meeting.pk}/done/",
        {"version": decision.version, "decision": decision.pk, "note": "我说完成了"},
    )
    assert answer.status_code == 403
    assert Decision.objects.get().status == ItemStatus.OPEN


def test_an_overdue_item_is_red_and_said_in_words_on_the_owners_home_and_the_page(
    client, login, world
):
    meeting = _meeting_now(world)
    decision = record_decision(
        actor=world.user("demo-shequ"),
        meeting=meeting,
        text="王阿姨收集停车需求",
        owner_person=world.person("P-WANG"),
        due_on=timezone.localdate(),
    )
    Decision.objects.filter(pk=decision.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=3)
    )  # three days have passed since (the test moves the deadline, not the clock)
    login("demo-resident")
    home = client.get("/").content.decode()
    assert "item-overdue" in home
    assert "逾期3天" in home.replace(" ", "")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "item-overdue" in page


def test_the_meeting_page_costs_the_same_with_one_decision_or_ten(
    client, login, world, django_assert_max_num_queries
):
    meeting = _meeting_now(world)
    company = Team.objects.get(code="WY-JYLW")

    def decide(n):
        for i in range(n):
            record_decision(
                actor=world.user("demo-shequ"),
                meeting=meeting,
                text=f"第{i}项",
                owner_team=company,
                due_on=timezone.localdate() + dt.timedelta(days=i),
            )

    login("demo-shequ")
    decide(1)
    with django_assert_max_num_queries(30) as one:
        assert client.get(meeting.get_absolute_url()).status_code == 200
    decide(9)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(meeting.get_absolute_url()).status_code == 200
