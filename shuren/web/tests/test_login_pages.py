"""Login and logout through the real pages: plain words on failure, POST-only logout."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from shuren.testing import PASSWORD

LOGIN = reverse("accounts:login")


def test_a_right_password_goes_to_the_home_page(client, world):
    response = client.post(LOGIN, {"username": "demo-shequ", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_a_wrong_password_is_explained_in_words(client, world):
    response = client.post(LOGIN, {"username": "demo-shequ", "password": "wrong"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "没有登录成功" in text
    assert "用户名或密码不对" in text
    assert "15 分钟" in text
    assert 'role="alert"' in text


def test_the_login_page_returns_to_the_page_asked_for(client, world):
    target = reverse("places:detail", args=[world.place("GC-JD").pk])
    response = client.get(target)
    assert response.status_code == 302
    response = client.post(
        response["Location"], {"username": "demo-shequ", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target


def test_logout_is_a_post(client, login):
    login("demo-shequ")
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session


def test_the_locked_page_names_the_fifteen_minutes(client, world):
    for _ in range(5):
        client.post(LOGIN, {"username": "demo-louzhang", "password": "wrong"})
    response = client.post(LOGIN, {"username": "demo-louzhang", "password": PASSWORD})
    text = response.content.decode()
    assert response.status_code == 429
    assert "账号已锁定" in text
    assert "15 分钟" in text
