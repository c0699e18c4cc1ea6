"""The case register's words: every string of its pages is in insights' Chinese catalog, every
entry of the catalog is translated, and its notifications read in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.utils import translation

from shuren.notify.messages import render

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
TEMPLATES = sorted((ROOT / "templates" / "insights").glob("register*.html"))
TRANSLATE = re.compile(r"""{%\s*translate\s+(["'])(?P<msgid>.+?)\1""")
BLOCK = re.compile(
    r"{%\s*blocktranslate[^%]*%}(?P<body>.*?){%\s*(?:plural|endblocktranslate)\s*%}", re.DOTALL
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def test_every_string_of_the_register_pages_is_in_the_catalog():
    known = {entry.msgid for entry in polib.pofile(str(CATALOG)) if not entry.msgctxt}
    found = set()
    for path in TEMPLATES:
        text = path.read_text()
        found |= {m["msgid"] for m in TRANSLATE.finditer(text)}
        found |= {VARIABLE.sub(r"%(\1)s", m["body"]) for m in BLOCK.finditer(text)}
    assert len(found) >= 15  # the scan itself found the strings
    assert found - known == set()


def test_every_entry_of_the_catalog_is_translated():
    untranslated = [
        entry.msgid
        for entry in polib.pofile(str(CATALOG))
        if "fuzzy" in entry.flags
        or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
        or (not entry.msgid_plural and not entry.msgstr)
    ]
    assert untranslated == []


def test_the_owner_is_told_in_chinese_that_the_register_is_ready():
    params = {"place": "尖东社区", "rows": 2400, "start": "2026-01-01", "end": "2026-03-31"}
    with translation.override("zh-hans"):
        assert render("register.ready", params) == (
            "尖东社区的事项台账已生成",
            "共 2400 件事项，2026-01-01 至 2026-03-31。文件保留 7 天。",
        )
    with translation.override("en"):
        assert render("register.failed", params)[0] == (
            "Your case register of 尖东社区 could not be made"
        )
