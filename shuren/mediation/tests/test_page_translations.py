"""Every string of the mediation pages has its Chinese: the app's catalog is complete, and each
label, heading and sentence of its templates, forms and tables comes out in Chinese."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

from shuren.mediation.web.action_forms import ACTIONS
from shuren.mediation.web.tables import DEFINITIONS
from shuren.web.tests.test_translations import BLOCK, TRANSLATE, VARIABLE

APP = Path(__file__).resolve().parents[1]
CATALOG = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


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
    assert len(msgids) > 50
    with translation.override("zh-hans"):
        untranslated = [
            msgid
            for context, msgid in msgids
            if (translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            == msgid
        ]
    assert untranslated == []


def test_every_action_form_and_figure_reads_in_chinese():
    words = [str(s) for spec in ACTIONS.values() for s in (spec.label, spec.done)]
    for spec in ACTIONS.values():
        words += [str(f.label) for f in spec.form.base_fields.values() if f.label]
    words += [str(w) for pair in DEFINITIONS for w in pair]
    with translation.override("zh-hans"):
        untranslated = [w for w in words if not _has_chinese(str(translation.gettext(w)))]
    assert untranslated == []
