"""The intake pages in a real browser at 375 px: sizes and tap targets in both modes, no serious
axe findings, and the htmx journeys (a photo kept through the confirm step, the live duplicate
list, the place tree opened in place)."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from PIL import ExifTags, Image

from shuren.web.tests import test_browser_home as home

pytestmark = pytest.mark.browser

# The browser, axe and log-in machinery of the home page tests (skipped there without Chromium).
browser = home.browser
axe = home.axe
ELDER, NORMAL = home.ELDER, home.NORMAL


@pytest.fixture
def page(browser, live_server: Any, settings: Any, tmp_path):
    from shuren.cases.models import Category, DeadlinePolicy
    from shuren.cases.seed import seed
    from shuren.testing import build_world

    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
    settings.MEDIA_ROOT = tmp_path / "media"
    # live_server tests flush the database after each test: the world and the seeded
    # categories come back here.
    build_world()
    seed(Category, DeadlinePolicy)
    context = browser.new_context(viewport=home.VIEWPORT, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def photo_file(tmp_path) -> str:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "ShurenPhone"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    path = tmp_path / "fish.jpg"
    Image.new("RGB", (120, 90), (180, 140, 90)).save(path, "JPEG", exif=exif)
    return str(path)


@pytest.mark.parametrize(
    ("username", "url"),
    [
        ("demo-resident", "/cases/report/"),
        ("demo-louzhang", "/cases/quick/"),
        ("demo-shequ", "/cases/staff/"),
    ],
)
def test_the_intake_page_is_readable_and_tappable_in_both_modes(page, axe, username, url):
    home.log_in(page, username)
    page.goto(url)
    problems = home.problems_of(page, axe, NORMAL)
    assert problems == [], "\n".join(problems)
    home.switch_elder_mode(page)
    assert page.evaluate("document.body.classList.contains('elder')")
    problems = home.problems_of(page, axe, ELDER)
    assert problems == [], "\n".join(problems)


def test_a_resident_reports_the_fish_smell_with_a_photo_and_sees_the_number(page, tmp_path):
    from shuren.cases.models import Case

    home.log_in(page, "demo-resident")
    page.click("a[href='/cases/report/']")
    page.click("label:has-text('异味')")
    page.fill("#id_title", "楼下邻居晒咸鱼，气味很大")
    page.set_input_files("#id_photos", photo_file(tmp_path))
    page.click("button.intake-submit:has-text('提交')")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get()
    assert page.evaluate("location.pathname") == f"/cases/{case.pk}/"
    assert case.number in page.inner_text("main")
    stored = case.photos.get()
    data = stored.file.read()
    assert b"ShurenPhone" not in data
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}


def test_the_photo_stays_chosen_through_the_confirm_step(page, tmp_path):
    from shuren.accounts.models import User
    from shuren.cases.actions import report_case
    from shuren.cases.models import Case, Category
    from shuren.places.models import Place

    earlier = report_case(
        actor=User.objects.get(username="demo-resident"),
        place=Place.objects.get(code="GC-JD-JYLW-B01"),
        category=Category.objects.get(code="neighbour-odour"),
        title="楼下晒咸鱼好臭",
    )
    home.log_in(page, "demo-resident")
    page.goto("/cases/report/")
    page.click("label:has-text('异味')")
    page.fill("#id_title", "楼下邻居晒咸鱼，气味很大")
    # While typing, the resident's own earlier report is offered.
    page.wait_for_selector(f"#intake-duplicates :text('{earlier.number}')")
    page.set_input_files("#id_photos", photo_file(tmp_path))
    page.click("form > button.intake-submit")
    page.wait_for_selector("#intake-confirm :text('这些看起来是同一件事')")
    assert page.locator("#intake-duplicates .dupe").count() == 0  # not listed twice
    assert page.evaluate("document.querySelector('#id_photos').files.length") == 1
    page.click("#intake-confirm button[name=confirm]")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    new = Case.objects.exclude(pk=earlier.pk).get()
    assert new.photos.count() == 1


def test_staff_open_an_estate_in_place_and_keep_what_they_typed(page):
    from shuren.cases.models import Case

    home.log_in(page, "demo-shequ")
    page.goto("/cases/staff/")
    page.fill("#id_title", "消防通道被电动车堵住")
    page.click("button[name=browse]:has-text('展开') >> nth=0")  # 金域蓝湾
    page.wait_for_selector("#place-picker :text('1栋')")
    assert page.input_value("#id_title") == "消防通道被电动车堵住"
    page.click("#place-picker label:has-text('1栋')")
    page.click("label:has-text('巡查')")
    page.click("label:has-text('安全隐患')")
    page.click("form > button.intake-submit")
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get()
    assert case.place.code == "GC-JD-JYLW-B01"
    assert case.channel == "patrol"
