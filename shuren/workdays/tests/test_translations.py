"""Every string the workdays app shows has its Chinese translation."""

from pathlib import Path

import polib


def test_every_string_of_the_app_has_a_chinese_translation():
    po = polib.pofile(
        str(Path(__file__).resolve().parents[1] / "locale/zh_Hans/LC_MESSAGES/django.po")
    )
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.find("Make-up workday").msgstr == "调休上班"
