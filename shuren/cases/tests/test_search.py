"""Chinese full-text search: jieba tokens written at intake, matched token by token, rebuilt by
`reindexcases`, the same on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from shuren.cases import search
from shuren.cases.models import Case


def found(query: str) -> list[str]:
    return list(search.search(Case.objects.order_by("pk"), query).values_list("title", flat=True))


class TestTokens:
    def test_a_sentence_becomes_its_words(self):
        assert search.tokens("楼上漏水到我家") == ["楼上", "漏水", "到", "我家"]

    def test_punctuation_and_spaces_are_dropped_and_latin_is_lower_case(self):
        assert search.tokens("楼下晒咸鱼，气味很大！ ABC栋") == [
            "楼下",
            "晒",
            "咸鱼",
            "气味",
            "很大",
            "abc",
            "栋",
        ]

    def test_the_index_is_the_distinct_words_wrapped_in_spaces(self):
        assert search.search_text_for("漏水", "又漏水了") == " 漏水 又 了 "
        assert search.search_text_for("", "") == ""

    def test_long_words_are_indexed_with_their_parts(self):
        assert {"共和", "共和国", "中华人民共和国"} <= set(search.tokens("中华人民共和国"))

    def test_the_dictionary_is_loaded_once_per_process(self):
        assert search._jieba() is search._jieba()

    def test_loading_jieba_writes_nothing_to_the_console(self):
        code = (
            "import django; django.setup(); "
            "from shuren.cases.search import tokens; assert tokens('漏水') == ['漏水']"
        )
        done = subprocess.run(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
        )
        assert done.stdout == done.stderr == ""


class TestSearching:
    def test_searching_for_leak_finds_water_leaking_from_upstairs(self, report):
        report(title="楼上漏水到我家")
        report(title="楼下晒咸鱼，气味很大")
        assert found("漏水") == ["楼上漏水到我家"]

    def test_every_word_of_the_query_must_be_there(self, report):
        report(title="楼上漏水到我家")
        report(title="楼上装修噪音")
        assert found("楼上") == ["楼上漏水到我家", "楼上装修噪音"]
        assert found("楼上漏水") == ["楼上漏水到我家"]
        assert found("楼上 噪音") == ["楼上装修噪音"]

    def test_the_description_is_searched_too(self, report):
        report(title="请帮忙", description="卫生间天花板一直滴水，怀疑楼上防水层坏了")
        assert found("防水层") == ["请帮忙"]

    def test_a_part_of_a_word_is_not_a_match(self, report):
        report(title="楼上漏水到我家")
        assert found("水") == []  # 水 alone is not one of its words

    def test_a_case_number_finds_that_case(self, report):
        case = report(title="楼上漏水到我家")
        report(title="另一件事")
        assert found(case.number.lower()) == ["楼上漏水到我家"]

    def test_an_empty_or_punctuation_only_query_filters_nothing(self, report):
        report(title="楼上漏水到我家")
        assert found("") == found("，。！") == ["楼上漏水到我家"]

    def test_like_wildcards_in_the_query_are_plain_characters(self, report):
        report(title="楼上漏水到我家")
        assert found("%") == ["楼上漏水到我家"]  # punctuation only: no filter
        assert found("漏_") == []


class TestReindex:
    def test_report_case_writes_the_index(self, report):
        case = report(title="楼上漏水到我家", description="已经三天了")
        assert case.search_text == " 楼上 漏水 到 我家 已经 三天 了 "

    def test_reindexcases_rebuilds_it_without_touching_the_version(self, report):
        case = report(title="楼上漏水到我家")
        Case.objects.filter(pk=case.pk).update(search_text="")
        out = StringIO()
        call_command("reindexcases", stdout=out)
        assert "reindexed 1 case(s)" in out.getvalue()
        refreshed = Case.objects.get(pk=case.pk)
        assert (refreshed.search_text, refreshed.version) == (" 楼上 漏水 到 我家 ", 1)

    def test_only_the_missing_ones_on_request(self, report):
        kept, blank = report(title="楼上漏水"), report(title="楼道堆物")
        Case.objects.filter(pk=kept.pk).update(search_text=" 旧 ")
        Case.objects.filter(pk=blank.pk).update(search_text="")
        assert search.reindex(only_missing=True, batch_size=1) == 1
        assert Case.objects.get(pk=kept.pk).search_text == " 旧 "
        assert Case.objects.get(pk=blank.pk).search_text == " 楼道 堆物 "


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index is PostgreSQL's")
def test_postgresql_has_the_trigram_index_on_the_search_text(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'case_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin (search_text gin_trgm_ops)" in definition
