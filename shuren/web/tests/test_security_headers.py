"""Every answer carries a Content-Security-Policy that names no other origin and allows no inline
script or style, and a Permissions-Policy; the API's answers are not cached; no template and no
page holds an inline script, style or event handler (the policy would block them); the 400 and
500 pages stand on their own, in Chinese and English, and the API's stay JSON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from shuren.urls import urlpatterns as site_urlpatterns
from shuren.web.headers import CONTENT_SECURITY_POLICY


def _queries_with_a_nul(request):
    """A view that reads a parameter past every form, as a careless one would."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s", [request.GET.get("q", "")])
    return HttpResponse("ok")


urlpatterns = [path("test-raw-query/", _queries_with_a_nul), *site_urlpatterns]
handler400 = "shuren.web.errors.bad_request"
handler500 = "shuren.web.errors.server_error"

INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style[\s>]", re.I), "a <style> block"),
    (re.compile(r"\sstyle\s*=\s*[\"']", re.I), "a style attribute"),
    # Lower case, as HTML is written here (and not Python's ONLINE = "online").
    (re.compile(r"\son[a-z]+\s*=\s*[\"']"), "an on… event handler"),
    (re.compile(r"\shx-on[\w:-]*\s*=", re.I), "an hx-on attribute (htmx evaluates it)"),
    (re.compile(r"=\s*[\"']\s*javascript:", re.I), "a javascript: URL"),
]


def _inline(html: str) -> list[str]:
    # JSON data islands (<script type="application/json">) are data, not script.
    html = re.sub(r'<script type="application/json"[^>]*>.*?</script>', "", html, flags=re.S)
    return [what for pattern, what in INLINE if pattern.search(html)]


def test_the_policy_names_no_other_origin_and_allows_nothing_inline():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert not re.search(r"https?:|\*", CONTENT_SECURITY_POLICY)


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/cases/", "/no-such-page/"])
def test_every_page_carries_the_policies(login, client, url):
    login("demo-shequ")
    response = client.get(url)
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("url", ["/api/v1/me", "/api/v1/cases", "/api/v1/no-such-thing"])
def test_the_api_s_answers_are_not_cached(client, world, url):
    from shuren.accounts.models import ApiToken

    _token, raw = ApiToken.issue(user=world.user("demo-shequ"), name="test")
    response = client.get(url, headers={"Authorization": f"Bearer {raw}"})
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_no_template_holds_inline_script_style_or_handlers():
    root = Path(settings.BASE_DIR) / "shuren"
    found = {
        str(path.relative_to(root)): _inline(path.read_text())
        for path in root.rglob("templates/**/*.html")
    }
    assert {path: what for path, what in found.items() if what} == {}


def test_no_python_module_writes_inline_script_or_style():
    """Rows and widgets written in Python (cases/web/inbox_rows.py, widgets.py …) too."""
    root = Path(settings.BASE_DIR) / "shuren"
    offenders = {
        str(path.relative_to(root)): _inline(path.read_text())
        for path in root.rglob("*.py")
        if "/tests/" not in str(path) and "/migrations/" not in str(path)
    }
    assert {path: what for path, what in offenders.items() if what} == {}


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("demo-shequ", "/"),
        ("demo-shequ", "/cases/"),
        ("demo-resident", "/cases/report/"),
        ("demo-louzhang", "/cases/quick/"),
        ("demo-louzhang", "/buildings/"),
        ("demo-shequ", "/places/excel/import/"),
        ("demo-shequ", "/accounts/me/"),
    ],
)
def test_the_pages_as_rendered_hold_nothing_inline(login, client, username, url):
    login(username)
    response = client.get(url)
    assert response.status_code == 200
    assert _inline(response.content.decode()) == []


@override_settings(ROOT_URLCONF=__name__)
def test_a_nul_that_reaches_the_database_is_the_400_page_not_a_500(db):
    client = Client(raise_request_exception=False)
    response = client.get("/test-raw-query/", {"q": "前\x00后"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "无法处理这个请求" in body
    assert "什么都没有保存" in body
    assert _inline(body) == []


@override_settings(ROOT_URLCONF=__name__)
def test_the_400_page_speaks_english_to_who_chose_it(db):
    client = Client(raise_request_exception=False, headers={"Accept-Language": "en"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/test-raw-query/", {"q": "\x00"})
    assert response.status_code == 400
    assert "This request could not be handled" in response.content.decode()


def test_a_body_past_the_upload_limit_is_a_400_page_and_a_400_in_json(login, client, world):
    login("demo-shequ")
    too_big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    page = client.post("/accounts/prefs/elder/", {"on": "1", "next": too_big})
    assert page.status_code == 400
    assert "无法处理这个请求" in page.content.decode()
    from shuren.accounts.models import ApiToken

    _token, raw = ApiToken.issue(user=world.user("demo-shequ"), name="test")
    case = client.post(
        "/api/v1/cases",
        '{"title": "' + too_big + '"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert case.status_code == 400
    assert case.json()["code"] == "bad_request"


def test_the_500_page_needs_no_request_and_holds_nothing_inline():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("zh-hans"):
        chinese = render_to_string("500.html")
    with translation.override("en"):
        english = render_to_string("500.html")
    assert "出错了" in chinese
    assert "Something went wrong" in english
    assert 'lang="en"' in english
    assert "css/shuren.css" in chinese
    assert _inline(chinese) == []


def test_the_404_and_403_pages_speak_english_too(login, client):
    login("demo-shequ")
    client.post("/accounts/prefs/language/", {"language": "en", "next": "/"})
    assert "Page not found" in client.get("/no-such-page/").content.decode()
    denied = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    denied.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = denied.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
