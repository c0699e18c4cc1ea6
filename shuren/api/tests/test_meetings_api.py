"""The meetings API: an organiser calls a meeting (a retry with the same Idempotency-Key does
not call a second), adds to its agenda, marks people present or cancels it before it begins;
invitees see it and check in with the room's code; the secretary drafts the minutes and those
present approve them; the organiser records a decision once it has started, its owner completes
it and the organiser may cancel it; refusals carry a code and Chinese words; another's meeting
answers 404 exactly like a missing id; a browser session writes only with its CSRF token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from shuren.cases.actions import report_case
from shuren.cases.models import Category
from shuren.deliberation.actions import check_in, record_decision
from shuren.deliberation.meetings.choices import ItemStatus, Minutes, Presence, Status
from shuren.deliberation.models import AgendaItem, Attendance, Decision, Meeting
from shuren.deliberation.tests.meeting_fixtures import call_joint_meeting
from shuren.people.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, token_for):
    def _post(username, path, data=None, **extra):
        return client.post(
            f"/api/v1{path}",
            data or {},
            content_type="application/json",
            headers={**token_for(username), **extra.pop("headers", {})},
            **extra,
        )

    return _post


@pytest.fixture
def under_way(world):
    """金域蓝湾's joint meeting, begun ten minutes ago: check-in is open. (The action invites a
    resident directly; through the API an organiser invites the post holders and members the
    calling page offers.)"""
    now = timezone.now()
    return call_joint_meeting(
        world,
        starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=2),
        at=now - dt.timedelta(days=1),
    )


@pytest.fixture
def ahead(world):
    """The same meeting called for the day after tomorrow: not begun, check-in not open."""
    return call_joint_meeting(
        world,
        starts_at=timezone.now() + dt.timedelta(days=2),
        ends_at=timezone.now() + dt.timedelta(days=2, hours=2),
        at=timezone.now(),
    )


def _call_body(world, **extra):
    starts = timezone.now() + dt.timedelta(days=3)
    return {
        "place": world.place("GC-JD-JYLW").pk,
        "kind": "joint",
        "title": "金域蓝湾停车难联席会议",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + dt.timedelta(hours=2)).isoformat(),
        "venue": "尖东社区党群服务中心",
        "persons": [world.user("demo-louzhang").person_id],
        "teams": [Team.objects.get(code="WY-JYLW").pk],
        "agenda": ["地面车位划线方案"],
        **extra,
    }


def test_an_organiser_calls_a_meeting_and_a_retry_returns_the_same(world, post):
    key = {"Idempotency-Key": "m-1"}
    first = post("demo-shequ", "/meetings", _call_body(world), headers=key)
    assert first.status_code == 201, first.content.decode()
    body = first.json()
    assert (body["kind"], body["status"]) == ("joint", "called")
    assert [a["title"] for a in body["agenda"]] == ["地面车位划线方案"]
    assert "cancel_meeting" in body["actions"]
    again = post("demo-shequ", "/meetings", _call_body(world), headers=key)
    assert again.status_code == 200
    assert again.json()["id"] == body["id"]
    assert Meeting.objects.count() == 1


def test_the_same_key_from_another_organiser_calls_their_own(world, post):
    key = {"Idempotency-Key": "same"}
    assert post("demo-shequ", "/meetings", _call_body(world), headers=key).status_code == 201
    assert post("demo-jiedao", "/meetings", _call_body(world), headers=key).status_code == 201
    assert Meeting.objects.count() == 2


def test_an_invitee_not_offered_for_the_place_and_a_place_not_theirs_are_refused(world, post):
    stranger = post(
        "demo-shequ", "/meetings", _call_body(world, persons=[world.person("P-HUANG").pk])
    )
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["field"] == "persons"
    assert stranger.json()["errors"][0]["message"] == "只能邀请为此地点列出的人。"
    other = post("demo-shequ2", "/meetings", _call_body(world))
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "place"
    resident = post("demo-resident", "/meetings", _call_body(world))
    assert resident.status_code == 422
    assert Meeting.objects.count() == 0


def test_invitees_and_organisers_see_it_and_others_get_the_missing_answer(
    world, api_get, under_way
):
    assert api_get("demo-resident", "/meetings").json()["count"] == 1
    detail = api_get("demo-wuye", f"/meetings/{under_way.pk}").json()
    assert detail["title"] == under_way.title
    assert api_get("demo-louzhang2", "/meetings").json()["count"] == 0
    out = api_get("demo-louzhang2", f"/meetings/{under_way.pk}")
    missing = api_get("demo-louzhang2", "/meetings/987654321")
    assert out.status_code == missing.status_code == 404
    assert out.json() == missing.json() == {"code": "not_found", "message": "找不到。"}


def test_the_list_is_paged_in_a_fixed_number_of_queries(
    world, client, token_for, django_assert_max_num_queries, under_way
):
    headers = token_for("demo-shequ")
    with django_assert_max_num_queries(12):
        page = client.get("/api/v1/meetings", {"limit": 1, "offset": 0}, headers=headers)
    assert (page.json()["count"], page.json()["limit"], len(page.json()["items"])) == (1, 1, 1)
    beyond = client.get("/api/v1/meetings", {"offset": 5}, headers=headers).json()
    assert beyond["items"] == []


def test_an_invitee_checks_in_with_the_room_s_code(world, post, api_get, under_way):
    wrong = post("demo-resident", f"/meetings/{under_way.pk}/check-in", {"code": "xxxxxx"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["code"] == "code"
    done = post(
        "demo-resident", f"/meetings/{under_way.pk}/check-in", {"code": under_way.checkin_code}
    )
    assert done.status_code == 200
    assert done.json()["how"] == "code"
    detail = api_get("demo-resident", f"/meetings/{under_way.pk}").json()
    assert detail["checked_in"] is True
    assert "check_in" not in detail["actions"]


def test_checking_in_days_before_is_a_conflict_with_the_time(world, post, ahead):
    early = post("demo-resident", f"/meetings/{ahead.pk}/check-in", {"code": ahead.checkin_code})
    assert early.status_code == 409
    assert early.json()["code"] == "closed"
    assert early.json()["message"] == "签到时间为会议开始前半小时至会议结束后两小时。"


def test_a_decision_is_recorded_and_its_owner_completes_it(world, post, api_get, under_way):
    company = Team.objects.get(code="WY-JYLW")
    decided = post(
        "demo-shequ",
        f"/meetings/{under_way.pk}/decisions",
        {"text": "物业两周内完成划线", "due_on": "2030-01-31", "owner_team": company.pk},
    )
    assert decided.status_code == 201
    item = decided.json()
    assert (item["owner"], item["status"]) == (company.name, "open")
    denied = post("demo-resident", f"/decisions/{item['id']}/complete", {"note": "好了"})
    assert denied.status_code == 403
    stale = post(
        "demo-wuye", f"/decisions/{item['id']}/complete", {"note": "已划线", "version": 99}
    )
    assert stale.status_code == 409
    done = post("demo-wuye", f"/decisions/{item['id']}/complete", {"note": "已划线"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["actions"]) == ("done", [])
    again = post("demo-wuye", f"/decisions/{item['id']}/complete", {"note": "已划线"})
    assert again.status_code == 409
    assert again.json()["code"] == "closed"
    assert Decision.objects.get(pk=item["id"]).note == "已划线"


def test_a_decision_before_the_meeting_is_a_conflict_and_an_outsider_s_item_is_missing(
    world, post, ahead
):
    body = {"text": "划线", "due_on": "2030-01-31", "owner_person": world.person("P-WANG").pk}
    early = post("demo-shequ", f"/meetings/{ahead.pk}/decisions", body)
    assert early.status_code == 409
    assert early.json()["code"] == "early"
    outsider = post("demo-louzhang2", f"/meetings/{ahead.pk}/decisions", body)
    assert outsider.status_code == 404


def _matter(world, place, username=None):
    return report_case(
        actor=world.user(username) if username else None,
        place=world.place(place),
        category=Category.objects.get(code="parking"),
        title="小区夜间乱停车堵消防通道",
    )


def test_an_organiser_adds_an_agenda_item_taking_up_a_matter_they_see(
    world, post, api_get, under_way
):
    matter = _matter(world, "GC-JD-JYLW-B01-U1", "demo-resident")
    elsewhere = _matter(world, "GC-TC-JYZY-T1")
    url = f"/meetings/{under_way.pk}/agenda"
    body = {"title": "夜间乱停车", "notes": "联系电话 13812345678", "cases": [matter.pk]}
    added = post("demo-shequ", url, body)
    assert added.status_code == 201, added.content.decode()
    assert (added.json()["position"], added.json()["title"]) == (2, "夜间乱停车")
    assert added.json()["notes"] == "联系电话 138****5678"
    item = AgendaItem.objects.get(pk=added.json()["id"])
    assert list(item.cases.all()) == [matter]
    detail = api_get("demo-resident", f"/meetings/{under_way.pk}").json()
    assert detail["agenda"][1]["cases"] == [{"id": matter.pk, "number": matter.number}]
    unseen = post("demo-shequ", url, {**body, "cases": [elsewhere.pk]})
    assert unseen.status_code == 422
    assert unseen.json()["errors"][0]["field"] == "cases"
    assert post("demo-resident", url, {"title": "我的议题"}).status_code == 403
    assert post("demo-louzhang2", url, {"title": "我的议题"}).status_code == 404
    assert AgendaItem.objects.filter(meeting=under_way).count() == 2


def test_an_item_on_a_cancelled_meeting_s_agenda_is_a_conflict(world, post, ahead):
    cancelled = post("demo-shequ", f"/meetings/{ahead.pk}/cancel", {"reason": "台风停课"})
    assert cancelled.status_code == 200
    late = post("demo-shequ", f"/meetings/{ahead.pk}/agenda", {"title": "补充议题"})
    assert late.status_code == 409
    assert late.json()["code"] == "cancelled"


def test_the_organiser_marks_an_invitee_present_by_hand_and_no_one_else(
    world, post, api_get, under_way
):
    wang = world.person("P-WANG")
    url = f"/meetings/{under_way.pk}/attendance"
    offered = api_get("demo-shequ", f"/meetings/{under_way.pk}").json()
    assert wang.pk in [p["id"] for p in offered["to_mark"]]
    assert api_get("demo-resident", f"/meetings/{under_way.pk}").json()["to_mark"] == []
    assert post("demo-resident", url, {"person": wang.pk}).status_code == 403
    # Someone the meeting does not expect: refused without saying who they are.
    stranger = post("demo-shequ", url, {"person": world.person("P-DENG").pk})
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["field"] == "person"
    assert stranger.json()["errors"][0]["message"] == "请从本次会议的应到人员中选择。"
    assert "邓伯" not in stranger.content.decode()
    marked = post("demo-shequ", url, {"person": wang.pk})
    assert marked.status_code == 200
    assert marked.json()["how"] == Presence.BY_HAND
    assert Attendance.objects.get(meeting=under_way, person=wang).how == Presence.BY_HAND
    assert post("demo-shequ", url, {"person": wang.pk}).status_code == 200  # harmless again
    detail = api_get("demo-shequ", f"/meetings/{under_way.pk}").json()
    assert detail["present"] == 1
    assert wang.pk not in [p["id"] for p in detail["to_mark"]]
    assert post("demo-louzhang2", url, {"person": wang.pk}).status_code == 404


def test_marking_someone_present_days_before_is_a_conflict_with_the_time(world, post, ahead):
    early = post(
        "demo-shequ", f"/meetings/{ahead.pk}/attendance", {"person": world.person("P-WANG").pk}
    )
    assert early.status_code == 409
    assert early.json()["code"] == "closed"
    assert not Attendance.objects.filter(meeting=ahead).exists()


def test_the_secretary_drafts_the_minutes_and_those_present_approve_them(
    world, post, api_get, under_way
):
    minutes = f"/meetings/{under_way.pk}/minutes"
    approve = f"/meetings/{under_way.pk}/minutes/approve"
    check_in(actor=world.user("demo-resident"), meeting=under_way, code=under_way.checkin_code)
    post("demo-shequ", f"/meetings/{under_way.pk}/attendance", {"person": world.person("P-SQ").pk})
    none_yet = post("demo-resident", approve, {"revision": 1})
    assert none_yet.status_code == 409
    assert none_yet.json()["code"] == "no_draft"
    assert post("demo-resident", minutes, {"text": "我来写"}).status_code == 403
    first = post("demo-shequ", minutes, {"text": "一、划线方案通过。"})
    assert first.status_code == 200, first.content.decode()
    version = first.json()["version"]
    second = post(
        "demo-shequ", minutes, {"text": "一、划线方案通过。联系人 13812345678", "version": version}
    )
    assert second.json()["minutes"] == "一、划线方案通过。联系人 138****5678"
    stale = post("demo-shequ", minutes, {"text": "旧稿", "version": version})
    assert stale.status_code == 409
    assert Meeting.objects.get(pk=under_way.pk).minutes == "一、划线方案通过。联系人 13812345678"
    read_before = post("demo-resident", approve, {"revision": 1})
    assert read_before.status_code == 409
    assert read_before.json()["code"] == "stale_draft"
    assert post("demo-wuye", approve, {"revision": 2}).status_code == 403  # not present
    one = post("demo-resident", approve, {"revision": 2}).json()
    assert (one["minutes_status"], one["minutes_approvals"], one["minutes_approvals_needed"]) == (
        Minutes.DRAFT,
        1,
        2,
    )
    assert "approve_minutes" not in one["actions"]
    carried = post("demo-shequ", approve, {"revision": 2})
    assert carried.json()["minutes_status"] == Minutes.APPROVED
    final = post("demo-shequ", minutes, {"text": "改一改"})
    assert final.status_code == 409
    assert final.json()["code"] == "approved"
    assert post("demo-louzhang2", minutes, {"text": "x"}).status_code == 404


def test_minutes_before_the_meeting_begins_are_a_conflict(world, post, ahead):
    early = post("demo-shequ", f"/meetings/{ahead.pk}/minutes", {"text": "一、划线方案通过。"})
    assert early.status_code == 409
    assert early.json()["code"] == "early"
    assert Meeting.objects.get(pk=ahead.pk).minutes == ""


def test_the_organiser_cancels_a_meeting_before_it_begins_saying_why(world, post, ahead, under_way):
    url = f"/meetings/{ahead.pk}/cancel"
    assert post("demo-resident", url, {"reason": "我去不了"}).status_code == 403
    assert post("demo-louzhang2", url, {"reason": "下雨"}).status_code == 404
    stale = post("demo-shequ", url, {"reason": "台风停课", "version": ahead.version + 5})
    assert stale.status_code == 409
    done = post("demo-shequ", url, {"reason": "台风停课", "version": ahead.version})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["cancel_reason"]) == ("cancelled", "台风停课")
    assert done.json()["actions"] == []
    assert Meeting.objects.get(pk=ahead.pk).status == Status.CANCELLED
    again = post("demo-shequ", url, {"reason": "台风停课"})
    assert (again.status_code, again.json()["code"]) == (409, "cancelled")
    begun = post("demo-shequ", f"/meetings/{under_way.pk}/cancel", {"reason": "下雨"})
    assert (begun.status_code, begun.json()["code"]) == (409, "started")
    assert Meeting.objects.get(pk=under_way.pk).status == Status.CALLED


def test_the_organiser_cancels_a_decision_its_owner_may_not(world, post, under_way):
    decision = record_decision(
        actor=world.user("demo-shequ"),
        meeting=under_way,
        text="物业两周内完成划线",
        due_on=timezone.localdate() + dt.timedelta(days=14),
        owner_team=Team.objects.get(code="WY-JYLW"),
    )
    url = f"/decisions/{decision.pk}/cancel"
    assert post("demo-wuye", url, {"reason": "不做了"}).status_code == 403
    assert post("demo-louzhang2", url, {"reason": "不做了"}).status_code == 404
    done = post("demo-shequ", url, {"reason": "业主大会否决了划线方案"})
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["actions"]) == (ItemStatus.CANCELLED, [])
    decision.refresh_from_db()
    assert (decision.status, decision.note) == (ItemStatus.CANCELLED, "业主大会否决了划线方案")
    again = post("demo-shequ", url, {"reason": "再取消"})
    assert (again.status_code, again.json()["code"]) == (409, "closed")


def test_a_browser_session_writes_only_with_its_csrf_token(world, under_way):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.user("demo-resident"))
    url = f"/api/v1/meetings/{under_way.pk}/check-in"
    body = {"code": under_way.checkin_code}
    refused = browser.post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    browser.get("/")  # a page with a form sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(
        url, body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert allowed.status_code == 200
