"""Authentication: bearer tokens for programs, the logged-in session for the browser."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import timezone

from shuren.accounts.models import ApiToken
from shuren.api.auth import SessionCsrfAuth
from shuren.api.errors import ApiError


def test_a_valid_token_identifies_its_user(client, token_for):
    response = client.get("/api/v1/me", headers=token_for("demo-shequ"))
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "demo-shequ"


def test_no_credentials_is_401_with_a_chinese_message(client, world):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "code": "unauthorized",
        "message": "请先登录，或提供有效的 API 令牌。",
    }
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer shuren_not-a-real-token",
        "Bearer nonsense",
        "Token shuren_whatever",
        "Bearer ",
        "Bearer shuren_" + "x" * 500,
    ],
)
def test_a_wrong_token_is_401(client, world, header):
    response = client.get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_revoked_token_is_401(client, world):
    token, raw = ApiToken.issue(user=world.user("demo-shequ"))
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_a_token_of_a_deactivated_user_is_401(client, world, token_for):
    headers = token_for("demo-shequ")
    world.user("demo-shequ").__class__.objects.filter(username="demo-shequ").update(is_active=False)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_using_a_token_records_when_it_was_last_used(client, world):
    token, raw = ApiToken.issue(user=world.user("demo-shequ"))
    assert token.last_used_at is None
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_logged_in_browser_session_may_read_the_api(client, login):
    login("demo-louzhang")
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "demo-louzhang"


def test_a_bad_token_does_not_fall_back_to_the_session(client, login):
    login("demo-louzhang")
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer shuren_stolen"})
    assert response.status_code == 401


def test_a_session_write_without_the_csrf_token_is_refused(world):
    request = RequestFactory().post("/api/v1/anything")
    request.user = world.user("demo-shequ")
    request.COOKIES["sessionid"] = "x"
    with pytest.raises(ApiError) as refused:
        SessionCsrfAuth()(request)
    assert refused.value.status == 403
    assert refused.value.code == "csrf_failed"


def test_a_session_read_needs_no_csrf_token(world):
    request = RequestFactory().get("/api/v1/me")
    request.user = world.user("demo-shequ")
    assert SessionCsrfAuth()(request) == request.user


def test_messages_follow_the_token_users_language(client, world, token_for):
    world.user("demo-shequ").__class__.objects.filter(username="demo-shequ").update(language="en")
    response = client.get("/api/v1/places/999999999", headers=token_for("demo-shequ"))
    assert response.json() == {"code": "not_found", "message": "Not found."}
