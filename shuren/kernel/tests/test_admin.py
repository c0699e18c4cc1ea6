"""The outbox in the admin: the system administrator sees what failed and queues it again."""

from __future__ import annotations

import pytest
from django.utils import timezone

from shuren.kernel import outbox
from shuren.kernel.models import Outbox

URL = "/admin/kernel/outbox/"


@pytest.fixture
def given_up(world, report):
    report()
    row = Outbox.objects.get()
    row.given_up, row.processed_at, row.attempts = True, timezone.now(), outbox.MAX_ATTEMPTS
    row.error = "ConnectionError: the channel is down"
    row.save()
    return row


def test_the_system_administrator_sees_a_given_up_row_and_queues_it_again(client, login, given_up):
    login("demo-admin")
    page = client.get(URL, {"given_up__exact": "1"})
    assert page.status_code == 200
    assert "case.reported" in page.content.decode()
    detail = client.get(f"{URL}{given_up.pk}/change/").content.decode()
    assert "ConnectionError: the channel is down" in detail
    assert "楼下邻居晒咸鱼" not in detail  # what the message says is not the admin's to read
    response = client.post(
        URL, {"action": "retry_given_up", "_selected_action": [given_up.pk]}, follow=True
    )
    assert response.status_code == 200
    given_up.refresh_from_db()
    assert (given_up.given_up, given_up.processed_at, given_up.attempts) == (False, None, 0)


@pytest.mark.parametrize("username", ["demo-auditor", "demo-secadmin", "demo-shequ"])
def test_nobody_else_sees_the_outbox(client, login, given_up, username):
    login(username)
    assert client.get(URL).status_code in (302, 403)
    assert client.get(f"{URL}{given_up.pk}/change/").status_code in (302, 403)
