"""Every string of the audit trail has its Chinese: the app's catalog is complete, and each kind,
label and sentence of its page comes out in Chinese."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

from shuren.audit.choices import Kind
from shuren.audit.forms import AuditFilter
from shuren.web.tests.test_translations import BLOCK, TRANSLATE, VARIABLE

APP = Path(__file__).resolve().parents[1]
CATALOG = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_entry_of_the_catalog_is_translated():
    catalog = polib.pofile(str(CATALOG))
    assert [e.msgid for e in catalog if "fuzzy" in e.flags or not e.msgstr] == []


def test_every_kind_and_filter_reads_in_chinese():
    with translation.override("zh-hans"):
        for kind in Kind:
            assert str(kind.label) != _english(kind.label), kind
        for field in AuditFilter().fields.values():
            assert str(field.label) != _english(field.label), field.label


def test_every_string_of_the_page_reads_in_chinese():
    text = (APP / "templates" / "audit" / "log.html").read_text()
    msgids = [m["msgid"] for m in TRANSLATE.finditer(text)]
    msgids += [VARIABLE.sub(r"%(\1)s", m["body"]) for m in BLOCK.finditer(text)]
    with translation.override("zh-hans"):
        untranslated = [m for m in msgids if translation.gettext(m) == m]
    assert untranslated == []


def _english(label: object) -> str:
    with translation.override("en"):
        return str(label)
