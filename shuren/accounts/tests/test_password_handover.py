"""A password someone else set is a handover, not a credential (issue 10, 三员分立): the security
administrator who sets demo-jiedao's password cannot then work as demo-jiedao unseen. The
holder must choose their own before anything opens, their API tokens stop, they are told, and
the auditor reads who set whose password."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from shuren.accounts.actions import change_own_password, set_account_password
from shuren.accounts.models import ApiToken
from shuren.kernel.action import authorize
from shuren.kernel.models import Event
from shuren.notify.models import Notification
from shuren.testing import PASSWORD, deliver

HANDED_OVER = "Handed-over-2026!"
MINE = "Jiedao-own-choice-2026"


def log_in(client, username: str, password: str) -> None:
    """Through the login page, as a person does (django-axes watches it)."""
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    assert response.status_code == 302


def admin_url(name: str, *args: object) -> str:
    return reverse(f"admin:{name}", args=args)


@pytest.fixture
def handed_over(client, world):
    """The security administrator sets demo-jiedao's password in the admin."""
    client.force_login(world.user("demo-secadmin"))
    jiedao = world.user("demo-jiedao")
    response = client.post(
        admin_url("auth_user_password_change", jiedao.pk),
        {"password1": HANDED_OVER, "password2": HANDED_OVER},
    )
    assert response.status_code == 302
    client.logout()
    jiedao.refresh_from_db()
    return jiedao


def test_the_new_password_must_be_replaced_before_any_page_opens(client, handed_over, world):
    assert handed_over.must_change_password
    log_in(client, "demo-jiedao", HANDED_OVER)
    case_list = reverse("cases:inbox")
    place = reverse("places:detail", args=[world.place("GC-JD").pk])
    for path in ("/", case_list, place, "/places/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("accounts:password"), path
    answered = client.get("/api/v1/cases")
    assert answered.status_code == 403
    assert answered.json()["code"] == "password_change_required"
    page = client.get(reverse("accounts:password"))
    assert "安全管理员为您设置了密码" in page.content.decode()


def test_choosing_my_own_password_opens_everything_again(client, handed_over):
    log_in(client, "demo-jiedao", HANDED_OVER)
    refused = client.post(
        reverse("accounts:password"),
        {"current": "wrong", "password": MINE, "again": MINE},
    )
    assert refused.status_code == 400
    assert "当前密码不正确" in refused.content.decode()
    saved = client.post(
        reverse("accounts:password"),
        {"current": HANDED_OVER, "password": MINE, "again": MINE},
    )
    assert saved.status_code == 302
    handed_over.refresh_from_db()
    assert not handed_over.must_change_password
    assert client.get("/").status_code == 200  # the same session goes on
    kinds = list(
        Event.objects.filter(subject_type="accounts.user", subject_id=handed_over.pk)
        .order_by("pk")
        .values_list("kind", "actor__username", "data")
    )
    assert kinds[0][:2] == ("account.password_set", "demo-secadmin")
    assert kinds[-1][:2] == ("account.password_changed", "demo-jiedao")
    assert kinds[-1][2]["after_handover"] is True


def test_the_holder_is_told_and_their_api_tokens_stop(client, world):
    jiedao = world.user("demo-jiedao")
    token, raw = ApiToken.issue(user=jiedao, name="desk")
    set_account_password(actor=world.user("demo-secadmin"), user=jiedao, password=HANDED_OVER)
    deliver()
    told = Notification.objects.get(recipient=jiedao)
    assert told.title == "安全管理员为您设置了新密码"
    token.refresh_from_db()
    assert token.revoked_at is not None
    response = client.get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_nobody_sets_their_own_password_as_an_administrator(world):
    secadmin = world.user("demo-secadmin")
    with pytest.raises(PermissionDenied):
        set_account_password(actor=secadmin, user=secadmin, password=HANDED_OVER)


def test_only_the_holder_changes_their_own_password(world):
    jiedao = world.user("demo-jiedao")
    change_own_password(user=jiedao, current=PASSWORD, password=MINE)
    jiedao.refresh_from_db()
    assert jiedao.check_password(MINE)
    with pytest.raises(PermissionDenied):  # the kernel asks the rules: only its holder
        authorize(world.user("demo-secadmin"), "accounts.change_own_password", jiedao)


def test_the_password_page_follows_the_password_rules(client, login):
    login("demo-resident")
    response = client.post(
        reverse("accounts:password"),
        {"current": PASSWORD, "password": "short", "again": "short"},
    )
    assert response.status_code == 400
    assert "密码太短" in response.content.decode()
    response = client.post(
        reverse("accounts:password"),
        {"current": PASSWORD, "password": MINE, "again": MINE + "x"},
    )
    assert "两次输入的新密码不一致" in response.content.decode()
