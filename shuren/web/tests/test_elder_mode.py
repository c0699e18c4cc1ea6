"""长辈版: one visible switch, remembered on the user, and already usable on the login page."""

from __future__ import annotations

from django.urls import reverse

from shuren.testing import PASSWORD

ELDER = reverse("accounts:elder-mode")


def body_is_elder(response) -> bool:
    return '<body class="elder"' in response.content.decode()


def test_every_page_shows_the_switch_off_by_default(client, login):
    login("demo-louzhang")
    response = client.get("/")
    text = response.content.decode()
    assert 'aria-pressed="false"' in text
    assert "长辈版" in text
    assert not body_is_elder(response)


def test_switching_on_is_remembered_on_the_user(client, login, world):
    login("demo-louzhang")
    response = client.post(ELDER, {"on": "1", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert world.user("demo-louzhang").elder_mode is True
    # In a fresh browser too: the choice lives on the user, not only in the cookie.
    client.cookies.clear()
    login("demo-louzhang")
    page = client.get("/")
    assert body_is_elder(page)
    assert 'aria-pressed="true"' in page.content.decode()


def test_switching_off_again(client, login, world):
    login("demo-louzhang")
    client.post(ELDER, {"on": "1"})
    client.post(ELDER, {"on": "0"})
    assert world.user("demo-louzhang").elder_mode is False
    assert not body_is_elder(client.get("/"))


def test_the_login_page_can_be_switched_before_logging_in(client, world):
    client.post(ELDER, {"on": "1", "next": "/accounts/login/"})
    assert body_is_elder(client.get("/accounts/login/"))
    # Logging in keeps the choice and saves it on the user.
    client.post("/accounts/login/", {"username": "demo-louzhang2", "password": PASSWORD})
    assert world.user("demo-louzhang2").elder_mode is True
    assert body_is_elder(client.get("/"))


def test_a_malformed_switch_is_refused(client, login, world):
    login("demo-louzhang")
    assert client.post(ELDER, {"on": "maybe"}).status_code == 400
    assert world.user("demo-louzhang").elder_mode is False


def test_the_switch_does_not_answer_get(client, login):
    login("demo-louzhang")
    assert client.get(ELDER).status_code == 405
