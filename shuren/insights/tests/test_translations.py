"""Every string of insights' pages has its Chinese: the app's catalog is
complete, and each label, heading and sentence of its templates and tables comes out in Chinese."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

from shuren.insights.web.tables import COUNTER_LABELS, RATES
from shuren.web.tests.test_translations import BLOCK, TRANSLATE, VARIABLE

APP = Path(__file__).resolve().parents[1]
CATALOG = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_entry_of_the_catalog_is_translated():
    catalog = polib.pofile(str(CATALOG))
    untranslated = [
        e.msgid
        for e in catalog
        if "fuzzy" in e.flags
        or (e.msgid_plural and not all(e.msgstr_plural.values()))
        or (not e.msgid_plural and not e.msgstr)
    ]
    assert untranslated == []


def test_every_string_of_the_templates_reads_in_chinese():
    msgids: list[tuple[str | None, str]] = []
    for path in (APP / "templates").rglob("*.html"):
        text = path.read_text()
        msgids += [(m["context"], m["msgid"]) for m in TRANSLATE.finditer(text)]
        msgids += [(None, VARIABLE.sub(r"%(\1)s", m["body"])) for m in BLOCK.finditer(text)]
    assert len(msgids) > 30
    with translation.override("zh-hans"):
        untranslated = [
            msgid
            for context, msgid in msgids
            if (translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            == msgid
        ]
    assert untranslated == []


def test_every_figure_label_reads_in_chinese():
    labels = [*COUNTER_LABELS.values(), *(label for label, *_rest in RATES)]
    with translation.override("zh-hans"):
        untranslated = [str(label) for label in labels if not _has_chinese(str(label))]
    assert untranslated == []


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
