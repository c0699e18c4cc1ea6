"""A person's page is masked; revealing one field takes a reason, is logged without the
value, and is open only to roles that may unmask, inside their scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from shuren.access.models import AccessLog
from shuren.web.tests.pages import assert_same_404

MISSING = 999_999_999


def person_url(world, code: str) -> str:
    return reverse("people:detail", args=[world.person(code).pk])


def reveal_url(world, code: str) -> str:
    return reverse("people:reveal", args=[world.person(code).pk])


def test_the_person_page_needs_login(client, world):
    assert client.get(person_url(world, "P-WANG")).status_code == 302


def test_the_person_page_shows_phone_and_id_number_masked(client, login, world):
    login("demo-shequ")
    text = client.get(person_url(world, "P-WANG")).content.decode()
    assert "王秀英" in text
    assert "138****5678" in text
    assert "4406**********1231" in text
    assert "13812345678" not in text
    assert "440602195803031231" not in text


def test_staff_who_may_unmask_are_offered_the_reveal_form(client, login, world):
    login("demo-shequ")
    text = client.get(person_url(world, "P-WANG")).content.decode()
    assert reveal_url(world, "P-WANG") in text


def test_a_building_leader_is_not_offered_the_reveal_form(client, login, world):
    login("demo-louzhang")
    text = client.get(person_url(world, "P-WANG")).content.decode()
    assert "138****5678" in text
    assert reveal_url(world, "P-WANG") not in text


def test_a_reveal_shows_the_value_and_logs_who_what_why_without_it(client, login, world):
    login("demo-shequ")
    response = client.post(
        reveal_url(world, "P-WANG"),
        {"field": "phone", "reason": "上门探访前电话联系"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "13812345678" in text
    assert "访问日志" in text
    assert response["Cache-Control"] == "no-store"
    assert 'id="pii-phone"' in text
    assert "<html" not in text
    entry = AccessLog.objects.get()
    assert (entry.username, entry.object_id, entry.fields, entry.reason) == (
        "demo-shequ",
        str(world.person("P-WANG").pk),
        "phone",
        "上门探访前电话联系",
    )
    assert "13812345678" not in f"{entry.reason}{entry.fields}{entry.object_id}"


def test_a_reveal_without_htmx_shows_the_whole_page_with_the_value(client, login, world):
    login("demo-jiedao")
    response = client.post(
        reveal_url(world, "P-WANG"), {"field": "id_number", "reason": "核对低保资格"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "440602195803031231" in text
    assert "138****5678" in text
    assert AccessLog.objects.filter(fields="id_number").count() == 1


def test_a_reveal_without_a_reason_is_refused_and_not_logged(client, login, world):
    login("demo-shequ")
    response = client.post(
        reveal_url(world, "P-WANG"), {"field": "phone", "reason": "  "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert "请填写查看的理由" in response.content.decode()
    assert "13812345678" not in response.content.decode()
    assert not AccessLog.objects.exists()


def test_a_role_that_may_not_unmask_gets_403_with_a_message_and_no_log(client, login, world):
    login("demo-louzhang")  # 王秀英 is in building 1, so in scope, but a 楼长 may not unmask
    response = client.post(
        reveal_url(world, "P-WANG"), {"field": "phone", "reason": "想联系"}, HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 403
    assert "不能查看完整的个人信息" in text
    assert "13812345678" not in text
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("username", ["demo-shequ2", "demo-louzhang2", "demo-auditor", "nobody"])
def test_out_of_scope_reveal_answers_404_like_a_missing_id(client, login, world, username):
    login(username)
    outside = client.post(reveal_url(world, "P-WANG"), {"field": "phone", "reason": "x"})
    missing = client.post(
        reverse("people:reveal", args=[MISSING]), {"field": "phone", "reason": "x"}
    )
    assert_same_404(outside, missing)
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("username", "code"),
    [
        ("demo-shequ2", "P-WANG"),
        ("demo-louzhang", "P-ZHAO"),  # building 2
        ("demo-resident", "P-CHEN"),  # the neighbour
        ("demo-wuye", "P-DENG"),  # the estate without a property company
        ("demo-auditor", "P-WANG"),
    ],
)
def test_out_of_scope_people_answer_404(client, login, world, username, code):
    login(username)
    outside = client.get(person_url(world, code))
    missing = client.get(reverse("people:detail", args=[MISSING]))
    assert_same_404(outside, missing)


def test_an_unknown_field_is_refused(client, login, world):
    login("demo-shequ")
    response = client.post(reveal_url(world, "P-WANG"), {"field": "password", "reason": "x"})
    assert response.status_code == 400
    assert not AccessLog.objects.exists()


def test_reveal_is_post_only(client, login, world):
    login("demo-shequ")
    assert client.get(reveal_url(world, "P-WANG")).status_code == 405
