"""Every string of the alert pages has a Chinese translation, and insights' catalog is complete."""

from __future__ import annotations

import re
from pathlib import Path

import polib
from django.utils import translation

from shuren.insights.alert_choices import AlertKind, AlertLevel

APP = Path(__file__).resolve().parents[1]
CATALOG = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
TEMPLATES = sorted((APP / "templates" / "insights" / "alerts").rglob("*.html"))
TRANSLATE = re.compile(
    r"""{%\s*translate\s+(["'])(?P<msgid>.+?)\1(?:\s+context\s+(["'])(?P<context>.+?)\3)?"""
)
BLOCK = re.compile(
    r"{%\s*blocktranslate[^%]*%}(?P<body>.*?){%\s*(?:plural|endblocktranslate)\s*%}", re.DOTALL
)
VARIABLE = re.compile(r"{{\s*(\w+)\s*}}")


def test_every_entry_of_the_catalog_is_translated():
    untranslated = [
        e.msgid
        for e in polib.pofile(str(CATALOG))
        if "fuzzy" in e.flags
        or (e.msgid_plural and not all(e.msgstr_plural.values()))
        or (not e.msgid_plural and not e.msgstr)
    ]
    assert untranslated == []


def test_every_string_of_the_alert_templates_is_in_the_catalog():
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOG))}
    found = set()
    for path in TEMPLATES:
        text = path.read_text()
        found |= {(m["context"], m["msgid"]) for m in TRANSLATE.finditer(text)}
        found |= {(None, VARIABLE.sub(r"%(\1)s", m["body"])) for m in BLOCK.finditer(text)}
    assert len(found) > 20  # the scan itself found the strings
    assert found - known == set()


def test_levels_and_kinds_read_in_chinese():
    with translation.override("zh-hans"):
        assert [str(level.label) for level in AlertLevel] == ["红色", "橙色", "黄色"]
        assert str(AlertKind.HOTSPOT.label) == "矛盾热点"
