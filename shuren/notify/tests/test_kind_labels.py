"""Every kind of notification has a label in the person's terms, translated into Chinese, and the
settings page lists the kinds in those words, one capability's kinds together."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from shuren.notify.forms import PreferenceForm
from shuren.notify.messages import UnknownMessage, kinds, label_of, message

HAN = re.compile(r"[\u4e00-\u9fff]")


def project_kinds() -> list[str]:
    """The kinds the capabilities register (tests register `test.*` kinds of their own)."""
    return [kind for kind in kinds() if not kind.startswith("test.")]


def english(kind: str) -> str:
    with translation.override("en"):
        return label_of(kind)


def test_every_kind_has_a_label_that_reads_in_chinese():
    assert len(project_kinds()) >= 40
    untranslated = []
    with translation.override("zh-hans"):
        for kind in project_kinds():
            assert english(kind) != kind, f"{kind} has no label"
            chinese = label_of(kind)
            if chinese == english(kind) or not HAN.search(chinese):
                untranslated.append(kind)
    assert untranslated == []


def test_no_two_kinds_share_a_label():
    with translation.override("zh-hans"):
        labels = [label_of(kind) for kind in project_kinds()]
    assert len(set(labels)) == len(labels)


def test_a_matter_reported_reads_in_the_reporters_terms():
    with translation.override("zh-hans"):
        assert label_of("case.resolved") == "我反映的事项已办结"
        assert label_of("meeting.called") == "我受邀参加会议"
    assert english("case.resolved") == "A matter I reported is resolved"


def test_the_kinds_of_one_capability_sit_together_in_the_order_things_happen():
    order = kinds()
    groups = [kind.partition(".")[0] for kind in order]
    # Each group is one run: once left, it never comes back.
    runs = [group for i, group in enumerate(groups) if i == 0 or groups[i - 1] != group]
    assert len(runs) == len(set(runs))
    cases = [kind for kind in order if kind.startswith("case.")]
    assert cases[:3] == ["case.reported", "case.accepted", "case.assigned"]
    assert cases.index("case.resolved") < cases.index("case.reopened")


def test_the_settings_form_offers_each_kind_in_its_words():
    with translation.override("zh-hans"):
        choices = dict(PreferenceForm().fields["muted"].choices)
    assert choices["case.resolved"] == "我反映的事项已办结"
    assert choices["register.ready"] == "我申请的事项台账已生成"
    assert choices["alert.raised"] == "出现新的预警"
    assert all(kind not in str(label) for kind, label in choices.items())  # no codes shown


def test_an_audiences_words_may_leave_the_label_out_but_never_give_another():
    @message("test.labelled", label="something happens")
    def words(p):
        return "t", "b"

    @message("test.labelled", audience="reporter")
    def words_for_reporter(p):
        return "t", "b"

    @message("test.labelled", audience="owner", label="something happens")
    def words_for_owner(p):
        return "t", "b"

    assert label_of("test.labelled") == "something happens"
    with pytest.raises(ValueError, match="two labels"):

        @message("test.labelled", audience="organiser", label="something else")
        def words_for_organiser(p):
            return "t", "b"

    assert label_of("test.labelled") == "something happens"


def test_an_unknown_kind_has_no_label():
    with pytest.raises(UnknownMessage):
        label_of("no.such_kind")
