"""The API's docs page at /api/v1/docs renders in a real browser with every request outside
the live server refused: Swagger UI and its stylesheet are this site's static files, never a
CDN's, and the page lists the operations of /api/v1/openapi.json."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shuren.testing import build_world

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    if os.environ.get("SHUREN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing and SHUREN_REQUIRE_BROWSER=1", pytrace=False)
    pytest.skip(
        f"{CHROMIUM} is missing: install Debian's chromium to run the browser tests",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, Route, sync_playwright  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def offline_page(browser: Browser, live_server: Any) -> Iterator[tuple[Page, list[str]]]:
    """A page whose every request to anywhere but the live server is aborted and noted."""
    build_world()
    context = browser.new_context(viewport={"width": 1024, "height": 900}, base_url=live_server.url)
    refused: list[str] = []

    def only_the_live_server(route: Route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page, refused
    context.close()


def test_the_docs_page_lists_the_operations_with_the_network_cut_off(offline_page):
    page, refused = offline_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    response = page.goto("/api/v1/docs")
    assert response is not None
    assert response.status == 200
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/places" in paths
    assert "/api/v1/votes" in paths
    assert "/api/v1/categories" in paths
    assert page.locator(".info .title").inner_text().startswith("Shuren API")
    assert refused == []
    assert [e for e in errors if "Content Security Policy" in e] == []
