"""createapitoken: a new token is printed once, stored hashed, and opens the API."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from shuren.accounts.models import ApiToken


def create_token(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("createapitoken", *args, stdout=out, stderr=err)
    assert "cannot be shown again" in err.getvalue()
    return out.getvalue().strip()


def test_the_printed_token_opens_the_api_as_that_user(client, world):
    raw = create_token("demo-shequ")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "demo-shequ"


def test_only_a_hash_of_the_token_is_stored(world):
    raw = create_token("demo-shequ", "--name", "WeCom robot")
    token = ApiToken.objects.get(user__username="demo-shequ")
    assert token.name == "WeCom robot"
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(token.prefix)
    assert len(token.prefix) < len(raw) // 2
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(raw in str(value) for value in stored.values())


def test_each_call_issues_a_new_token_and_both_work(client, world):
    first, second = create_token("demo-jiedao"), create_token("demo-jiedao")
    assert first != second
    for raw in (first, second):
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
        )


def test_an_unknown_user_is_refused(world):
    with pytest.raises(CommandError, match="No user named"):
        create_token("demo-nobody-at-all")
    assert not ApiToken.objects.exists()


def test_an_inactive_user_gets_no_token(world):
    user = world.user("demo-shequ")
    user.is_active = False
    user.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="not active"):
        create_token("demo-shequ")
