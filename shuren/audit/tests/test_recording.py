"""Each kind of audit entry is written when its event happens, through the real faces: the login
page, the admin, the actions, the export and reveal pages, refusals of pages and the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from shuren.accounts.actions import change_own_password
from shuren.audit.choices import Kind
from shuren.audit.models import AuditEntry
from shuren.people.actions import appoint_post, end_post
from shuren.people.roles import Role
from shuren.testing import PASSWORD


def entries(kind: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(kind=kind).order_by("seq"))


def only(kind: str) -> AuditEntry:
    found = entries(kind)
    assert len(found) == 1, found
    return found[0]


def log_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_login_through_the_login_page_is_recorded_with_who_and_where(client, world):
    assert log_in(client, "demo-shequ", PASSWORD).status_code == 302
    entry = only(Kind.LOGIN)
    assert entry.actor_username == "demo-shequ"
    assert entry.actor_pk == world.user("demo-shequ").pk
    assert entry.ip == "127.0.0.1"


def test_a_failed_login_names_the_account_tried_and_never_the_password(client, world):
    log_in(client, "demo-jiedao", "not-the-password")
    entry = only(Kind.LOGIN_FAILED)
    assert (entry.actor_username, entry.target_label) == ("", "demo-jiedao")
    assert "not-the-password" not in str(entry.detail)


def test_five_failures_in_a_row_record_the_lockout(client, world):
    for _ in range(5):
        log_in(client, "demo-louzhang", "wrong")
    assert len(entries(Kind.LOGIN_FAILED)) == 5
    lockout = only(Kind.LOCKED_OUT)
    assert lockout.target_label == "demo-louzhang"
    assert lockout.detail == {"failures": 5}


def test_a_locked_account_refused_again_is_a_lockout_entry_not_a_refusal_too(client, world):
    for _ in range(6):
        log_in(client, "demo-louzhang", "wrong")
    assert len(entries(Kind.LOCKED_OUT)) == 2  # the lock, and the attempt it refused
    assert not entries(Kind.DENIED)


def test_any_other_too_many_tries_answer_is_recorded_as_denied(rf, world):
    from django.http import HttpResponse

    from shuren.audit.middleware import DeniedRequestsMiddleware

    # The login's per-address refusal and any throttle answer 429 without a signal of axes.
    request = rf.post("/accounts/login/")
    request.user = world.user("demo-shequ")
    middleware = DeniedRequestsMiddleware(lambda request: HttpResponse(status=429))
    assert middleware(request).status_code == 429
    entry = only(Kind.DENIED)
    assert entry.detail["status"] == 429
    assert entry.target_label == "/accounts/login/"


def test_logging_out_is_recorded(client, login):
    login("demo-shequ")
    client.post(reverse("accounts:logout"))
    assert only(Kind.LOGOUT).actor_username == "demo-shequ"


def test_the_security_administrator_unlocking_an_account_is_recorded(client, login, world):
    for _ in range(5):
        log_in(client, "demo-louzhang", "wrong")
    login("demo-secadmin")
    louzhang = world.user("demo-louzhang")
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock", "_selected_action": [louzhang.pk]},
    )
    assert response.status_code == 302
    entry = only(Kind.UNLOCKED)
    assert (entry.actor_username, entry.target_label) == ("demo-secadmin", "demo-louzhang")


def test_a_password_set_by_the_security_administrator_names_both(client, login, world):
    login("demo-secadmin")
    jiedao = world.user("demo-jiedao")
    response = client.post(
        reverse("admin:auth_user_password_change", args=[jiedao.pk]),
        {"password1": "Another-pass-2026!", "password2": "Another-pass-2026!"},
    )
    assert response.status_code == 302
    entry = only(Kind.PASSWORD_SET)
    assert (entry.actor_username, entry.target_label, entry.target_id) == (
        "demo-secadmin",
        "demo-jiedao",
        str(jiedao.pk),
    )
    assert "Another-pass" not in str(entry.detail)


def test_a_password_its_holder_changes_is_a_change_not_a_set(world):
    holder = world.user("demo-secadmin")
    change_own_password(user=holder, current=PASSWORD, password="Own-new-pass-2026!")
    entry = only(Kind.PASSWORD_CHANGED)
    assert (entry.actor_username, entry.target_label) == ("demo-secadmin", "demo-secadmin")
    assert not entries(Kind.PASSWORD_SET)


def test_switching_an_account_off_in_the_admin_is_recorded(world):
    from shuren.accounts.actions import change_account

    louzhang = world.user("demo-louzhang")
    change_account(
        actor=world.user("demo-secadmin"),
        user=louzhang,
        is_active=False,
        is_staff=louzhang.is_staff,
        elder_mode=louzhang.elder_mode,
        language=louzhang.language,
    )
    entry = only(Kind.ACCOUNT_CHANGED)
    assert (entry.actor_username, entry.target_label, {"is_active": entry.detail["is_active"]}) == (
        "demo-secadmin",
        "demo-louzhang",
        {"is_active": False},
    )


def test_a_post_given_and_ended_through_the_actions_is_recorded(world):
    shequ = world.user("demo-shequ")
    person = world.person("P-ZHAO")
    post = appoint_post(
        actor=shequ, person=person, role=Role.LOUZHANG, place=world.place("GC-JD-JYLW-B02")
    )
    given = only(Kind.POST_GRANTED)
    assert (given.actor_username, given.target_type, given.target_id) == (
        "demo-shequ",
        "people.post",
        str(post.pk),
    )
    assert given.detail["role"] == Role.LOUZHANG
    assert given.detail["person"] == person.pk
    end_post(actor=shequ, post=post, reason="搬走了")
    ended = only(Kind.POST_ENDED)
    assert ended.target_id == str(post.pk)
    assert ended.detail["note"] == "搬走了"


def test_a_refused_post_leaves_no_entry(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        appoint_post(
            actor=world.user("demo-louzhang"),
            person=world.person("P-ZHAO"),
            role=Role.LOUZHANG,
            place=world.place("GC-JD-JYLW-B02"),
        )
    assert not entries(Kind.POST_GRANTED)


def test_an_export_is_recorded_and_an_unmasked_one_is_a_reveal_too(client, login):
    login("demo-shequ")
    response = client.post("/places/excel/export/", {"root": "GC-JD-JYLW-B01"})
    assert response.status_code == 200
    export = only(Kind.EXPORT)
    assert export.actor_username == "demo-shequ"
    assert export.detail["file"] == "places"
    assert not entries(Kind.REVEAL)

    client.post("/places/excel/export/", {"unmask": "on", "reason": "入户走访"})
    assert len(entries(Kind.EXPORT)) == 2
    reveal = only(Kind.REVEAL)
    assert reveal.detail["action"] == "export"
    assert reveal.detail["reason"] == "入户走访"


def test_a_reveal_is_recorded_with_its_reason_masked_never_the_number(client, login, world):
    login("demo-shequ")
    wang = world.person("P-WANG")
    response = client.post(
        f"/people/{wang.pk}/reveal/", {"field": "phone", "reason": "回电 13812345678 核实"}
    )
    assert response.status_code == 200
    entry = only(Kind.REVEAL)
    assert (entry.actor_username, entry.target_type, entry.target_id) == (
        "demo-shequ",
        "person",
        str(wang.pk),
    )
    assert entry.detail["fields"] == "phone"
    assert "13812345678" not in str(entry.detail)
    assert "138****5678" in entry.detail["reason"]


def test_a_page_that_refuses_is_recorded_as_denied(client, login, world):
    login("demo-louzhang")
    wang = world.person("P-WANG")
    response = client.post(f"/people/{wang.pk}/reveal/", {"field": "phone", "reason": "看看"})
    assert response.status_code == 403
    entry = only(Kind.DENIED)
    assert (entry.actor_username, entry.target_label) == (
        "demo-louzhang",
        f"/people/{wang.pk}/reveal/",
    )
    assert entry.detail["method"] == "POST"


def test_an_api_refusal_is_recorded_as_denied(world):
    from shuren.accounts.models import ApiToken

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("demo-resident"))
    # A session call without its CSRF token is refused by the API (403, JSON).
    response = client.post("/api/v1/cases", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    entry = only(Kind.DENIED)
    assert (entry.actor_username, entry.target_label) == ("demo-resident", "/api/v1/cases")
    assert ApiToken  # the token path is the same middleware (request.user is the token's owner)


def test_a_page_form_without_its_csrf_token_is_recorded_with_the_reason(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("demo-shequ"))
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    entry = only(Kind.DENIED)
    assert entry.detail["reason"].startswith("csrf:")
    assert entry.actor_username == "demo-shequ"


def test_a_configuration_row_changed_in_the_admin_is_recorded(admin_client):
    response = admin_client.post(
        reverse("admin:workdays_holidayday_add"),
        {"date": "2026-12-31", "kind": "off", "name": "测试", "year": "2026"},
    )
    assert response.status_code == 302
    entry = only(Kind.CONFIG_CHANGED)
    assert entry.target_type == "workdays.holidayday"
    assert entry.detail["change"] == "added"
    assert entry.detail["values"]["date"] == "2026-12-31"


def test_every_entry_links_to_the_one_before(client, world):
    log_in(client, "demo-jiedao", "wrong")
    log_in(client, "demo-jiedao", PASSWORD)
    first, second = AuditEntry.objects.order_by("seq")[:2]
    assert second.seq == first.seq + 1
    assert second.prev_hash == first.hash
