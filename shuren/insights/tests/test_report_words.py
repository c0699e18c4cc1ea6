"""The work report's and the scorecard's words: every string of their templates is in the
insights catalog, the catalog is complete, and the report's own strings read as the article."""

from __future__ import annotations

from pathlib import Path

import polib
from django.utils import translation

from shuren.insights.report import DEFINITIONS
from shuren.web.tests.test_translations import BLOCK, TRANSLATE, VARIABLE

APP = Path(__file__).resolve().parents[1]
CATALOG = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
TEMPLATES = [
    APP / "templates" / "insights" / name
    for name in (
        "report.html",
        "report_pdf.html",
        "_report_table.html",
        "_report_pdf_table.html",
        "scorecard.html",
    )
]


def test_every_entry_of_the_catalog_is_translated():
    po = polib.pofile(str(CATALOG))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_every_string_of_the_templates_is_in_the_catalog():
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOG))}
    found = set()
    for path in TEMPLATES:
        text = path.read_text()
        found |= {(m["context"], m["msgid"]) for m in TRANSLATE.finditer(text)}
        found |= {(None, VARIABLE.sub(r"%(\1)s", m["body"])) for m in BLOCK.finditer(text)}
    assert len(found) > 25  # the scan itself found the strings
    assert found - known == set()


def test_the_phrases_and_units_are_the_articles():
    with translation.override("zh-hans"):
        said = {d.code: f"{d.phrase}838{d.unit}" for d in DEFINITIONS if d.phrase is not None}
    assert said == {
        "neighbour_disputes": "成功协调处理邻里矛盾838宗",
        "sanitation": "解决小区卫生问题838个",
        "security": "协助破解治安案件838起",
        "facilities": "完成公共设施维护838处",
        "safety": "解决安全问题838个",
        "parking": "破解停车难问题838起",
        "elevator_stairwells": "成功加装电梯的楼道838条",
        "elevator_estates": "加装电梯的小区838个",
    }
