"""The intake pages with htmx (in place, photos kept), the live duplicate list, the home page links,
and every string of the intake templates in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from shuren.cases.actions import report_case
from shuren.cases.models import Case
from shuren.cases.tests.intake_support import (
    FISH,
    category,
    fake_jpeg,
    form_data,
    htmx,
    media_in_tmp,  # noqa: F401 - autouse: photos go to a temporary folder
)
from shuren.testing import ROLE_USERS

URL = "/cases/report/"
INTAKES = ("/cases/report/", "/cases/quick/", "/cases/staff/")
DUPLICATES = "/cases/report/duplicates/"
TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "cases" / "intake"


@pytest.fixture
def earlier(world):
    return report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01"),
        category=category(),
        title="楼下晒咸鱼好臭",
    )


# --- htmx ---------------------------------------------------------------------------------------


def test_with_htmx_a_report_answers_with_a_client_redirect_to_the_case(client, login, world):
    login("demo-resident")
    response = client.post(URL, form_data(world), **htmx())
    case = Case.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/cases/{case.pk}/"


def test_with_htmx_the_confirm_step_is_added_under_the_form_which_stays(
    client, login, world, earlier
):
    login("demo-resident")
    response = client.post(URL, form_data(world), **htmx())
    page = response.content.decode()
    assert "HX-Retarget" not in response  # into #intake-confirm, the form's own target
    assert "<form" not in page  # the form and its chosen photos stay as they are
    assert "这些看起来是同一件事" in page
    assert 'name="confirm" value="new"' in page
    assert '<div id="intake-duplicates" hx-swap-oob="innerHTML"></div>' in page
    assert Case.objects.count() == 1


def test_with_htmx_an_invalid_form_replaces_the_form(client, login, world):
    login("demo-resident")
    response = client.post(URL, {**form_data(world), "photos": [fake_jpeg()]}, **htmx())
    assert response["HX-Retarget"] == "#intake-form"
    assert response["HX-Reswap"] == "outerHTML"
    page = response.content.decode()
    assert '<form id="intake-form"' in page
    assert "不是 JPEG 或 PNG 图片" in page
    assert "<html" not in page


def test_a_whole_page_answer_asks_for_the_photos_again(client, login, world, earlier):
    from shuren.cases.tests.intake_support import jpeg

    login("demo-resident")
    page = client.post(URL, {**form_data(world), "photos": [jpeg()]}).content.decode()
    assert "这些看起来是同一件事" in page
    assert "请重新选择照片" in page


# --- The live duplicate list ------------------------------------------------------------------


def live(client, world, place="GC-JD-JYLW-B01-U1", **extra):
    params = {
        "place": world.place(place).pk,
        "category": category().pk,
        "title": "楼下晒咸鱼好臭啊",
        **extra,
    }
    return client.get(DUPLICATES, params, **htmx())


def test_the_live_list_offers_the_residents_own_similar_case(client, login, world, earlier):
    login("demo-resident")
    response = live(client, world)
    page = response.content.decode()
    assert response.status_code == 200
    assert "是不是已经有人反映过？" in page
    assert earlier.number in page
    assert f'name="add_to" value="{earlier.pk}"' in page
    assert 'name="confirm"' not in page  # that button belongs to the confirm step


def test_the_live_list_is_empty_until_place_category_and_title_are_there(
    client, login, world, earlier
):
    login("demo-resident")
    for missing in ("place", "category", "title"):
        params = {"place": world.place("GC-JD-JYLW-B01").pk, "category": category().pk}
        params["title"] = FISH
        params.pop(missing)
        assert client.get(DUPLICATES, params).content.strip() == b""


def test_the_live_list_never_shows_what_the_user_may_not_see(client, login, world):
    report_case(
        actor=world.user("demo-louzhang2"),
        place=world.place("GC-JD-JYLW-B02"),
        category=category(),
        title=FISH,
    )
    login("demo-resident")
    assert live(client, world).content.strip() == b""
    # Naming the neighbour's building as the place changes nothing: it is not the resident's.
    assert live(client, world, "GC-JD-JYLW-B02").content.strip() == b""
    login("demo-louzhang")
    assert live(client, world, "GC-JD-JYLW-B01").content.strip() == b""
    login("demo-shequ")
    assert FISH in live(client, world, "GC-JD-JYLW-B01").content.decode()


def test_a_settled_case_is_shown_but_not_offered_to_add_to(client, login, world, earlier):
    from shuren.cases.actions import resolve_case

    resolve_case(
        actor=world.user("demo-louzhang"), case=earlier, method="on_the_spot", summary="已劝阻"
    )
    login("demo-resident")
    page = live(client, world).content.decode()
    assert earlier.number in page
    assert "add_to" not in page
    assert "这件已办结" in page


# --- Home page links --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "links"),
    [
        ("demo-resident", ["/cases/report/"]),
        ("demo-louzhang", ["/cases/quick/"]),
        ("demo-xiangzhang", ["/cases/quick/"]),
        ("demo-shequ", ["/cases/staff/"]),
        ("demo-jiedao", ["/cases/staff/"]),
        ("demo-wuye", []),
        ("demo-auditor", []),
        ("nobody", []),
    ],
)
def test_the_home_page_links_the_intakes_the_user_may_use(client, login, username, links):
    login(username)
    page = client.get("/").content.decode()
    found = re.findall(r'href="(/cases/(?:report|quick|staff)/)"', page)
    assert found == links


@pytest.mark.parametrize("username", ROLE_USERS)
def test_the_home_page_links_exactly_the_intakes_that_open(client, login, username):
    login(username)
    linked = set(re.findall(r'href="(/cases/(?:report|quick|staff)/)"', client.get("/").text))
    opens = {u for u in INTAKES if client.get(u).status_code == 200}
    assert linked == opens


def test_the_residents_home_says_report_a_matter_in_chinese(client, login):
    login("demo-resident")
    assert ">反映问题</a>" in client.get("/").content.decode()


# --- Translations -----------------------------------------------------------------------------

TRANSLATE = re.compile(
    r"""{%\s*translate\s+(["'])(?P<msgid>.+?)\1(?:\s+context\s+(["'])(?P<context>.+?)\3)?"""
)
BLOCK = re.compile(r"{%\s*blocktranslate[^%]*%}(?P<body>.*?){%\s*endblocktranslate\s*%}", re.S)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def template_strings() -> set[tuple[str | None, str]]:
    found: set[tuple[str | None, str]] = set()
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text()
        found |= {(m["context"], m["msgid"]) for m in TRANSLATE.finditer(text)}
        found |= {(None, VARIABLE.sub(r"%(\1)s", m["body"])) for m in BLOCK.finditer(text)}
    return found


def test_every_string_of_the_intake_templates_reads_in_chinese():
    strings = template_strings()
    assert len(strings) > 20
    with translation.override("zh-hans"):
        untranslated = [
            (context, msgid)
            for context, msgid in strings
            if (translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            == msgid
        ]
    assert untranslated == []


def test_the_pages_read_in_english_too(client, login, world):
    user = login("demo-shequ")
    user.language = "en"
    user.save(update_fields=["language"])
    # The language middleware switches this thread to English; override() switches it back.
    with translation.override(translation.get_language()):
        page = client.get("/cases/staff/").content.decode()
    assert "How did it reach you?" in page
    assert "Joint meeting" in page
