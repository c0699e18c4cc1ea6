"""Every string on these pages has a Chinese translation, and the catalog is complete."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR) / "shuren"
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
TEMPLATES = [
    *(ROOT / "templates").rglob("*.html"),
    *(ROOT / "web" / "templates").rglob("*.html"),
    *(ROOT / "people" / "templates").rglob("*.html"),
    *(ROOT / "access" / "templates").rglob("*.html"),
    *(ROOT / "accounts" / "templates").rglob("*.html"),
    ROOT / "places" / "templates" / "places" / "place_detail.html",
    ROOT / "places" / "templates" / "places" / "household_detail.html",
    ROOT / "places" / "templates" / "places" / "_household_phone.html",
]

TRANSLATE = re.compile(
    r"""{%\s*translate\s+(["'])(?P<msgid>.+?)\1(?:\s+context\s+(["'])(?P<context>.+?)\3)?"""
)
BLOCK = re.compile(
    r"{%\s*blocktranslate[^%]*%}(?P<body>.*?){%\s*(?:plural|endblocktranslate)\s*%}", re.DOTALL
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def catalog() -> polib.POFile:
    return polib.pofile(str(CATALOG))


def template_msgids() -> set[tuple[str | None, str]]:
    found = set()
    for path in TEMPLATES:
        text = path.read_text()
        for m in TRANSLATE.finditer(text):
            found.add((m["context"], m["msgid"]))
        for m in BLOCK.finditer(text):
            found.add((None, VARIABLE.sub(r"%(\1)s", m["body"])))
    return found


def test_every_entry_of_the_catalog_is_translated():
    untranslated = [
        e.msgid
        for e in catalog()
        if "fuzzy" in e.flags
        or (e.msgid_plural and not all(e.msgstr_plural.values()))
        or (not e.msgid_plural and not e.msgstr)
    ]
    assert untranslated == []


def test_every_string_in_these_templates_is_in_the_catalog():
    known = {(e.msgctxt, e.msgid) for e in catalog()}
    assert template_msgids() - known == set()
    assert len(template_msgids()) > 80  # the scan itself found the strings


@pytest.mark.parametrize(
    ("msgid", "chinese"),
    [("Elder mode", "长辈版"), ("Log out", "退出登录"), ("Building leader", "楼长")],
)
def test_the_compiled_catalog_is_used_for_chinese(msgid, chinese):
    with translation.override("zh-hans"):
        assert translation.gettext(msgid) == chinese
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid
