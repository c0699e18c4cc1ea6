"""Session lifetime: logged out after 30 minutes idle or 12 hours in all (rules-cn.md §4)."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from shuren.accounts.middleware import LOGIN_AT, SEEN_AT
from shuren.testing import PASSWORD

MINUTE = 60
HOUR = 60 * MINUTE


@pytest.fixture
def logged_in(client, world):
    """Log in through the real login page and make one request, as a browser would."""
    response = client.post(
        reverse("accounts:login"), {"username": "demo-shequ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me").status_code == 200
    return client


def set_clock(client, *, logged_in_ago: float, seen_ago: float) -> None:
    """Rewrite the session's timestamps as if the login and the last request were earlier."""
    session = client.session
    now = time.time()
    session[LOGIN_AT] = now - logged_in_ago
    session[SEEN_AT] = now - seen_ago
    session.save()


def still_logged_in(client) -> bool:
    status = client.get("/api/v1/me").status_code
    assert status in (200, 401)
    return status == 200


def test_the_first_request_after_login_starts_both_clocks(logged_in):
    session = logged_in.session
    assert time.time() - session[LOGIN_AT] < 60
    assert time.time() - session[SEEN_AT] < 60


def test_29_minutes_idle_is_still_logged_in(logged_in):
    set_clock(logged_in, logged_in_ago=29 * MINUTE, seen_ago=29 * MINUTE)
    assert still_logged_in(logged_in)


def test_a_request_restarts_the_idle_clock(logged_in):
    set_clock(logged_in, logged_in_ago=29 * MINUTE, seen_ago=29 * MINUTE)
    assert still_logged_in(logged_in)
    assert time.time() - logged_in.session[SEEN_AT] < 60


def test_31_minutes_idle_logs_out(logged_in):
    set_clock(logged_in, logged_in_ago=31 * MINUTE, seen_ago=31 * MINUTE)
    assert not still_logged_in(logged_in)
    assert SESSION_KEY not in logged_in.session
    # and it stays logged out once the clocks are gone
    assert not still_logged_in(logged_in)


def test_an_active_session_lasts_almost_12_hours(logged_in):
    set_clock(logged_in, logged_in_ago=12 * HOUR - 5 * MINUTE, seen_ago=1 * MINUTE)
    assert still_logged_in(logged_in)


def test_after_12_hours_even_an_active_session_ends(logged_in):
    set_clock(logged_in, logged_in_ago=12 * HOUR + 1 * MINUTE, seen_ago=1 * MINUTE)
    assert not still_logged_in(logged_in)
    assert SESSION_KEY not in logged_in.session


def test_timed_out_web_pages_send_the_user_to_the_login_page(logged_in):
    set_clock(logged_in, logged_in_ago=31 * MINUTE, seen_ago=31 * MINUTE)
    response = logged_in.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_session_cookie_itself_expires_after_12_hours():
    assert settings.SESSION_COOKIE_AGE == 12 * HOUR
    assert settings.SESSION_COOKIE_HTTPONLY
