"""Passwords: Argon2 hashes; at least 8 characters, 12 for staff; no common passwords."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.password_validation import validate_password as django_validate
from django.core.exceptions import ValidationError
from django.urls import reverse

from shuren.accounts.passwords import is_staff_user
from shuren.people.models import Post
from shuren.people.roles import Role
from shuren.testing import PASSWORD

EIGHT = "Kx7#mq2p"
ELEVEN = "Kx7#mq2pLw4"
TWELVE = "Kx7#mq2pLw4!"


def errors(password: str, user=None) -> list[str]:
    try:
        django_validate(password, user)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def test_a_resident_needs_eight_characters(world):
    resident = world.user("demo-resident")
    assert errors(EIGHT, resident) == []
    assert errors(EIGHT[:7], resident) == ["password_too_short"]


def test_a_volunteer_leader_needs_eight_characters(world):
    assert errors(EIGHT, world.user("demo-louzhang")) == []


@pytest.mark.parametrize(
    "username", ["demo-shequ", "demo-wangge", "demo-tiaojie", "demo-wuye", "demo-jiedao"]
)
def test_staff_roles_need_twelve_characters(world, username):
    user = world.user(username)
    assert errors(ELEVEN, user) == ["password_too_short"]
    assert errors(TWELVE, user) == []


@pytest.mark.parametrize("username", ["demo-admin", "demo-auditor", "demo-secadmin"])
def test_system_roles_need_twelve_characters(world, username):
    assert errors(ELEVEN, world.user(username)) == ["password_too_short"]


def test_a_new_account_without_a_user_yet_needs_eight(world):
    assert errors(EIGHT) == []


def test_a_staff_member_whose_post_ended_needs_only_eight(world):
    user = world.user("demo-shequ")
    Post.objects.filter(person=user.person, role=Role.SHEQU_STAFF).update(
        ends_on=dt.date(2020, 1, 1)
    )
    assert not is_staff_user(user)
    assert errors(EIGHT, user) == []


def test_the_too_short_message_is_in_chinese(world):
    with pytest.raises(ValidationError) as refused:
        django_validate(ELEVEN, world.user("demo-shequ"))
    assert refused.value.messages == ["密码太短，至少需要 12 个字符。"]


@pytest.mark.parametrize("common", ["password1234", "qwerty123456", "111222tianya"])
def test_common_passwords_are_refused(world, common):
    assert "password_too_common" in errors(common, world.user("demo-shequ"))


def test_all_digit_passwords_are_refused(world):
    assert "password_entirely_numeric" in errors("138123456789", world.user("demo-resident"))


def test_a_password_like_the_username_is_refused(world):
    user = world.user("demo-louzhang")
    assert "password_too_similar" in errors("demo-louzhang", user)


def test_the_help_text_names_both_lengths():
    text = " ".join(password_validators_help_texts())
    assert "8" in text
    assert "12" in text


def test_passwords_are_hashed_with_argon2(world):
    assert world.user("demo-shequ").password.startswith("argon2$")


def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_at_login(client, world):
    get_user_model().objects.filter(username="demo-shequ").update(
        password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    response = client.post(
        reverse("accounts:login"), {"username": "demo-shequ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert world.user("demo-shequ").password.startswith("argon2$")
