"""Chinese by default, whatever the browser asks for; the switch gives English and is
remembered on the user."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

LOGIN = "/accounts/login/"


def test_without_a_cookie_the_login_page_is_in_chinese(client, world):
    response = client.get(LOGIN)
    text = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-Hans">' in text
    assert "登录" in text
    assert "用户名" in text
    assert "长辈版" in text


def test_a_browser_asking_for_english_still_gets_chinese(client, world):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "用户名" in response.content.decode()


def test_the_switch_sets_the_cookie_and_the_next_page_is_in_english(client, world):
    response = client.post(reverse("accounts:language"), {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(LOGIN)
    text = page.content.decode()
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in text
    assert "Username" in text
    assert "Elder mode" in text
    assert "中文" in text


def test_switching_back_gives_chinese_again(client, world):
    client.post(reverse("accounts:language"), {"language": "en"})
    client.post(reverse("accounts:language"), {"language": "zh-hans"})
    assert client.get(LOGIN)["Content-Language"] == "zh-hans"


def test_a_logged_in_users_choice_is_saved_on_the_user(client, login, world):
    login("demo-louzhang")
    client.post(reverse("accounts:language"), {"language": "en", "next": "/"})
    assert world.user("demo-louzhang").language == "en"
    # Another browser without the cookie still shows this user English.
    client.cookies.clear()
    login("demo-louzhang")
    response = client.get("/")
    assert response["Content-Language"] == "en"
    assert "Where I am leader" in response.content.decode()


def test_the_home_page_is_translated_into_chinese(client, login):
    login("demo-louzhang")
    text = client.get("/").content.decode()
    assert "刘楼长，您好" in text
    assert "我负责的地方" in text
    assert "退出登录" in text
    assert "Where I am leader" not in text


def test_an_unknown_language_is_refused(client, world):
    response = client.post(reverse("accounts:language"), {"language": "fr"})
    assert response.status_code == 400


def test_the_switch_only_returns_to_pages_of_this_site(client, world):
    response = client.post(
        reverse("accounts:language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("web:home")


def test_the_switch_does_not_answer_get(client, world):
    assert client.get(reverse("accounts:language")).status_code == 405
