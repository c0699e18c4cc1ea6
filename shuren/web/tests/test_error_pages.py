"""The product's own error pages: a missing page (404), a refusal or an expired form (403) and a
failure (500) in the user's language, never Django's debug pages; and the demo's web server,
started as `make demo` starts it, shows them with DEBUG off and still serves its static files."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from shuren.management.commands.rundemo import demo_environment, web_server
from shuren.urls import urlpatterns as site_urlpatterns


def _fails(request):
    raise RuntimeError("a bug")


def _refuses(request):
    raise PermissionDenied


# A URL map that adds a failing and a refusing page to the site's own, with its handlers.
urlpatterns = [
    path("test-fails/", _fails),
    path("test-refuses/", _refuses),
    *site_urlpatterns,
]
handler404 = "shuren.web.errors.page_not_found"
handler403 = "shuren.web.errors.permission_denied"
handler500 = "shuren.web.errors.server_error"


def test_a_missing_page_is_the_product_s_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "找不到这个页面" in body
    assert "Page not found at" not in body  # Django's debug page


@override_settings(ROOT_URLCONF=__name__)
def test_a_refusal_is_the_product_s_403(client, db):
    response = client.get("/test-refuses/")
    assert response.status_code == 403
    assert "不能这样操作" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_failure_is_the_product_s_500_without_the_database(db, django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-fails/")
    assert response.status_code == 500
    assert "出错了" in response.content.decode()


def test_an_expired_form_is_the_product_s_403_in_words(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "demo-shequ", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "这个表单打开太久已经过期" in body
    assert "CSRF verification failed" not in body  # Django's own page


def test_the_demo_runs_with_debug_off_unless_asked(monkeypatch):
    monkeypatch.delenv("DEBUG", raising=False)
    assert demo_environment()["DEBUG"] == "false"
    monkeypatch.setenv("DEBUG", "true")
    assert demo_environment()["DEBUG"] == "true"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, data: bytes | None = None) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, data=data, timeout=5) as answer:  # noqa: S310 - our own server
            return answer.status, answer.headers.get("Content-Type", ""), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode()


@pytest.fixture
def demo_server(tmp_path: Path, monkeypatch):
    """The demo's web server as rundemo starts it, on an empty database of its own (none of
    these pages reads it) and a free port."""
    monkeypatch.delenv("DEBUG", raising=False)
    port = _free_port()
    env = {**demo_environment(), "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    server = subprocess.Popen(  # noqa: S603 - our own command
        web_server("127.0.0.1", str(port)),
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"the demo's web server stopped: {server.returncode}")
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_demo_server_shows_the_product_s_pages_and_serves_static_files(demo_server):
    status, _type, body = _get(f"{demo_server}/no-such-page/")
    assert status == 404
    assert "找不到这个页面" in body
    assert "Page not found at" not in body  # Django's debug page
    assert "DEBUG = True" not in body
    status, content_type, css = _get(f"{demo_server}/static/css/shuren.css")
    assert status == 200
    assert content_type.startswith("text/css")
    assert "长辈版" in css
    status, _type, body = _get(f"{demo_server}/accounts/login/", data=b"username=x&password=y")
    assert status == 403
    assert "这个表单打开太久已经过期" in body
