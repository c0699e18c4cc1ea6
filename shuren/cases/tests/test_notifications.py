"""The bell, the notification list and what each person is told about a matter, in their words."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuren.cases import actions
from shuren.notify.models import Notification
from shuren.testing import deliver

LIST = "/notifications/"


@pytest.fixture
def reported(report):
    return report(title="楼下邻居晒咸鱼，气味很大")


def notes_of(world, username: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=world.user(username)))


def test_the_building_leader_is_told_when_a_matter_arrives_in_their_building(world, reported):
    deliver()
    (note,) = notes_of(world, "demo-louzhang")
    assert note.kind == "case.reported"
    assert note.link == reported.get_absolute_url()
    assert notes_of(world, "demo-louzhang2") == []


def test_the_resident_is_told_in_their_own_words_when_their_matter_is_accepted(world, reported):
    actions.accept_case(actor=world.user("demo-louzhang"), case=reported)
    deliver()
    (note,) = notes_of(world, "demo-resident")
    assert note.title == f"{reported.number} 您反映的事项已受理，正在处理：楼下邻居晒咸鱼，气味很大"


def test_the_resident_is_told_where_their_matter_went_and_the_new_tier_in_its_terms(
    world, reported
):
    actions.escalate_case(
        actor=world.user("demo-louzhang"), case=reported, to_tier=3, reason="需社区协调"
    )
    deliver()
    (mine,) = notes_of(world, "demo-resident")
    assert mine.title.startswith(f"{reported.number} 您反映的事项已转交社区处理")
    staff = notes_of(world, "demo-shequ")
    assert [n.title for n in staff] == [f"{reported.number} 已上报至社区：楼下邻居晒咸鱼，气味很大"]


def test_the_resident_told_of_a_resolution_is_taken_to_the_rating(world, reported):
    actions.resolve_case(
        actor=world.user("demo-louzhang"), case=reported, method="on_the_spot", summary="已劝说"
    )
    deliver()
    (note,) = notes_of(world, "demo-resident")
    assert "您对处理结果满意吗" in note.title
    assert note.link == f"{reported.get_absolute_url()}#act-follow_up"
    assert note.body == "已劝说"


def test_the_resident_is_told_when_staff_record_that_they_were_not_satisfied(world, reported):
    actions.resolve_case(
        actor=world.user("demo-louzhang"), case=reported, method="on_the_spot", summary="已劝说"
    )
    actions.rate_on_behalf(
        actor=world.user("demo-shequ"), case=reported, satisfied=False, via="phone", note="还臭"
    )
    deliver()
    titles = [n.title for n in notes_of(world, "demo-resident")]
    assert f"{reported.number} 您反映的事项已重新办理：楼下邻居晒咸鱼，气味很大" in titles


def test_a_team_is_told_when_a_matter_is_dispatched_to_it(world, report):
    case = report(title="电梯异响")
    actions.escalate_case(
        actor=world.user("demo-louzhang"), case=case, to_tier=3, reason="物业处理"
    )
    from shuren.people.models import Team

    actions.assign_case(
        actor=world.user("demo-shequ"),
        case=case,
        team=Team.objects.get(name="金域蓝湾物业服务中心"),
    )
    deliver()
    assert [n.kind for n in notes_of(world, "demo-wuye")] == ["case.assigned"]


def test_a_phone_number_typed_into_a_description_is_masked_in_the_message(world, report):
    report(title="噪音", description="请打 13812345678 联系我，身份证 440681199001011234")
    deliver()
    (note,) = notes_of(world, "demo-louzhang")
    assert "13812345678" not in note.body
    assert "138****5678" in note.body
    assert "440681199001011234" not in note.body


def test_the_bell_shows_the_unread_count_on_every_page_in_one_query(client, login, world, reported):
    deliver()
    login("demo-louzhang")
    with CaptureQueriesContext(connection) as queries:
        text = client.get(reverse("cases:inbox")).content.decode()
    assert '<span class="bell-count">1</span>' in text
    asked = [q["sql"] for q in queries.captured_queries if "notify_notification" in q["sql"]]
    assert len(asked) == 1


def test_the_list_shows_what_happened_to_which_matter_and_opening_it_marks_it_read(
    client, login, world, reported
):
    deliver()
    login("demo-louzhang")
    text = client.get(LIST).content.decode()
    assert reported.number in text
    assert "未读" in text
    note = Notification.objects.get(recipient=world.user("demo-louzhang"))
    response = client.get(reverse("notify:open", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == reported.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
    assert list(client.get(LIST, {"unread": "1"}).context["page"].object_list) == []


def test_mark_one_and_mark_all_read(client, login, world, report):
    report(title="一")
    report(title="二")
    report(title="三")
    deliver()
    user = login("demo-louzhang")
    first = Notification.objects.filter(recipient=user).first()
    client.post(reverse("notify:read"), {"id": first.pk})
    assert Notification.objects.filter(recipient=user).unread().count() == 2
    response = client.post(reverse("notify:read"))
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=user).unread().count() == 0


def test_someone_elses_notification_is_not_found_and_stays_unread(client, login, world, reported):
    deliver()
    note = Notification.objects.get(recipient=world.user("demo-louzhang"))
    login("demo-louzhang2")
    assert client.get(reverse("notify:open", args=[note.pk])).status_code == 404
    assert client.post(reverse("notify:read"), {"id": note.pk}).status_code == 404
    client.post(reverse("notify:read"))  # "all" means all of one's own
    note.refresh_from_db()
    assert note.read_at is None


def test_a_bad_id_is_refused_without_an_error_page(client, login, world):
    login("demo-louzhang")
    assert client.post(reverse("notify:read"), {"id": "x"}).status_code == 400


def test_the_list_needs_login(client, world):
    assert client.get(LIST).status_code == 302


def test_the_home_shows_the_newest_notifications(client, login, world, reported):
    deliver()
    login("demo-louzhang")
    text = client.get("/").content.decode()
    assert "最新通知" in text
    assert reported.title in text


def test_the_api_lists_only_the_callers_notifications_and_marks_them_read(
    client, login, world, reported
):
    deliver()
    login("demo-louzhang")
    body = client.get("/api/v1/notifications").json()
    assert (body["count"], body["unread"]) == (1, 1)
    (item,) = body["items"]
    assert item["title"].startswith(reported.number)
    assert item["link"] == reported.get_absolute_url()
    assert item["read_at"] is None
    login("demo-louzhang2")
    assert client.get("/api/v1/notifications").json()["count"] == 0
    stranger = client.post(
        "/api/v1/notifications/read", {"ids": [item["id"]]}, content_type="application/json"
    )
    assert stranger.json() == {"marked": 0}  # not theirs: not found among theirs
    login("demo-louzhang")
    marked = client.post("/api/v1/notifications/read", {}, content_type="application/json")
    assert marked.json() == {"marked": 1}
    assert client.get("/api/v1/notifications", {"unread": True}).json()["count"] == 0


def test_the_api_asks_for_a_login_to_mark_notifications_read(client, world):
    response = client.post("/api/v1/notifications/read", {}, content_type="application/json")
    assert response.status_code == 401
