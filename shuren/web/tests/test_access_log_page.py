"""The access-log page: the auditor reads it, filtered by user and day; everyone else gets
a 404 as if it did not exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from shuren.access.actions import reveal_personal_info
from shuren.access.models import AccessLog
from shuren.testing import ROLE_USERS

LOG = reverse("access:log")


@pytest.fixture
def two_reveals(world):
    wang = world.person("P-WANG")
    reveal_personal_info(
        user=world.user("demo-shequ"), person=wang, field="phone", reason="上门探访前联系"
    )
    reveal_personal_info(
        user=world.user("demo-jiedao"), person=wang, field="id_number", reason="核对低保资格"
    )
    # Move the second one back to an earlier day (the log cannot be edited through the app).
    AccessLog.objects.filter(username="demo-jiedao").update(
        at=dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
    )


def test_the_auditor_reads_the_log_with_reasons_and_no_values(client, login, two_reveals):
    login("demo-auditor")
    response = client.get(LOG)
    text = response.content.decode()
    assert response.status_code == 200
    assert "上门探访前联系" in text
    assert "核对低保资格" in text
    assert "demo-shequ" in text
    assert "demo-jiedao" in text
    assert "13812345678" not in text
    assert "440602195803031231" not in text


def test_the_log_filters_by_user(client, login, two_reveals):
    login("demo-auditor")
    response = client.get(LOG, {"username": "shequ"})
    assert [e.username for e in response.context["page"]] == ["demo-shequ"]


def test_the_log_filters_by_day_in_shanghai_time(client, login, two_reveals):
    login("demo-auditor")
    response = client.get(LOG, {"date_from": "2026-01-05", "date_to": "2026-01-05"})
    assert [e.username for e in response.context["page"]] == ["demo-jiedao"]


def test_a_bad_date_is_explained_and_the_log_is_still_shown(client, login, two_reveals):
    login("demo-auditor")
    response = client.get(LOG, {"date_from": "yesterday"})
    assert response.status_code == 200
    assert "问题" in response.content.decode()


@pytest.mark.parametrize("username", [u for u in ROLE_USERS if u != "demo-auditor"])
def test_everyone_but_the_auditor_gets_404(client, login, username):
    login(username)
    assert client.get(LOG).status_code == 404


def test_the_log_page_needs_login(client, world):
    assert client.get(LOG).status_code == 302
