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


def test_authenticate_gives_the_whole_user_as_the_orm_would(world):
    from shuren.accounts.models import User

    token, raw = ApiToken.issue(user=world.user("demo-shequ"))
    user = ApiToken.authenticate(raw)
    orm = User.objects.get(pk=token.user_id)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(orm, field.attname), field.name
    assert user.is_active is True  # converted: SQLite stores 1
    assert user.date_joined.tzinfo is not None
    assert not user._state.adding


def test_authenticate_refuses_revoked_tokens_and_inactive_users(world):
    from django.utils import timezone

    token, raw = ApiToken.issue(user=world.user("demo-shequ"))
    assert ApiToken.authenticate(raw) is not None
    assert ApiToken.authenticate(raw + "x") is None
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert ApiToken.authenticate(raw) is None
    other, raw2 = ApiToken.issue(user=world.user("demo-jiedao"))
    type(other.user).objects.filter(pk=other.user_id).update(is_active=False)
    assert ApiToken.authenticate(raw2) is None


def test_authenticate_writes_the_last_use_at_most_once_a_minute(world, django_assert_num_queries):
    token, raw = ApiToken.issue(user=world.user("demo-shequ"))
    with django_assert_num_queries(2):  # the look-up and the first last-use
        ApiToken.authenticate(raw)
    with django_assert_num_queries(1):
        ApiToken.authenticate(raw)
    token.refresh_from_db()
    assert token.last_used_at is not None
