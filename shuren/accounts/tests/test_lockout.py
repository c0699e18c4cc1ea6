"""Lockout (django-axes, database handler): 5 wrong passwords in a row lock the account
for 15 minutes (rules-cn.md §4), tried through the real login page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from shuren.kernel.models import Event
from shuren.testing import PASSWORD


@pytest.fixture
def attempt(client, world):
    """Post the login form; return the response."""

    def _attempt(username: str, password: str):
        return client.post(reverse("accounts:login"), {"username": username, "password": password})

    return _attempt


def logged_in_as(client) -> str | None:
    user_id = client.session.get(SESSION_KEY)
    if user_id is None:
        return None
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_id).username


def fail(attempt, username: str, times: int) -> None:
    for _ in range(times):
        response = attempt(username, "wrong-password")
        assert response.status_code in (200, 429)


def push_attempts_back(username: str, minutes: float) -> None:
    """Pretend the failures happened this many minutes earlier."""
    for row in AccessAttempt.objects.filter(username=username):
        row.attempt_time -= timedelta(minutes=minutes)
        row.save(update_fields=["attempt_time"])


def test_four_failures_do_not_lock(client, attempt):
    fail(attempt, "demo-louzhang", 4)
    response = attempt("demo-louzhang", PASSWORD)
    assert response.status_code == 302
    assert logged_in_as(client) == "demo-louzhang"


def test_the_fifth_failure_in_a_row_locks_the_account(client, attempt):
    fail(attempt, "demo-louzhang", 4)
    assert attempt("demo-louzhang", "wrong-password").status_code == 429
    response = attempt("demo-louzhang", PASSWORD)
    assert response.status_code == 429
    assert logged_in_as(client) is None
    assert AccessAttempt.objects.get(username="demo-louzhang").failures_since_start >= 5


def test_the_locked_page_says_so_in_chinese(attempt):
    fail(attempt, "demo-louzhang", 5)
    response = attempt("demo-louzhang", PASSWORD)
    assert response.status_code == 429
    assert "15" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_a_success_resets_the_count(client, attempt):
    fail(attempt, "demo-louzhang", 4)
    assert attempt("demo-louzhang", PASSWORD).status_code == 302
    client.logout()
    fail(attempt, "demo-louzhang", 4)
    assert attempt("demo-louzhang", PASSWORD).status_code == 302
    assert logged_in_as(client) == "demo-louzhang"


def test_the_lock_lasts_fifteen_minutes(client, attempt):
    fail(attempt, "demo-louzhang", 5)
    push_attempts_back("demo-louzhang", 14)
    assert attempt("demo-louzhang", PASSWORD).status_code == 429


def test_after_fifteen_minutes_the_right_password_works_again(client, attempt):
    fail(attempt, "demo-louzhang", 5)
    push_attempts_back("demo-louzhang", 15.1)
    assert attempt("demo-louzhang", PASSWORD).status_code == 302
    assert logged_in_as(client) == "demo-louzhang"


def test_the_account_is_locked_not_the_address(client, attempt):
    # A community office shares one address; one locked account must not lock the others.
    fail(attempt, "demo-louzhang", 5)
    assert attempt("demo-louzhang2", PASSWORD).status_code == 302
    assert logged_in_as(client) == "demo-louzhang2"


def test_an_unknown_username_is_locked_too_and_says_nothing_about_existence(attempt):
    fail(attempt, "no-such-user", 5)
    assert attempt("no-such-user", "whatever").status_code == 429


def test_one_address_that_fails_over_many_usernames_is_refused_before_any_password_check(
    client, world, settings
):
    # Locking one account takes 5 tries; going through the accounts from one address stops at
    # SHUREN_LOGIN_IP_LIMIT failures (then even a right password from there is refused).
    settings.SHUREN_LOGIN_IP_LIMIT = 6
    login = reverse("accounts:login")
    for username in ("demo-admin", "demo-jiedao", "demo-shequ"):
        for _ in range(2):
            client.post(login, {"username": username, "password": "x"}, REMOTE_ADDR="203.0.113.9")
    refused = client.post(
        login, {"username": "demo-louzhang", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert refused.status_code == 429
    assert "来自此网络的错误登录过多" in refused.content.decode()
    assert logged_in_as(client) is None
    # The office next door (another address) logs in as usual.
    other = client.post(
        login, {"username": "demo-louzhang", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302


def test_the_security_administrator_unlocks_a_locked_administrator(client, attempt, world):
    fail(attempt, "demo-admin", 5)
    assert attempt("demo-admin", PASSWORD).status_code == 429
    client.force_login(world.user("demo-secadmin"))
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock", "_selected_action": [world.user("demo-admin").pk]},
    )
    assert response.status_code == 302
    client.logout()
    assert attempt("demo-admin", PASSWORD).status_code == 302
    assert logged_in_as(client) == "demo-admin"
    event = Event.objects.get(kind="account.unlocked")
    assert event.actor.username == "demo-secadmin"
