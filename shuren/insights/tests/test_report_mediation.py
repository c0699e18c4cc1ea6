"""The work report's mediation block: for the subdistrict's and the communities' staff the page,
the PDF and the workbook show the place's mediation figures for the period, each with its
definition, equal to mediation.statistics.statistics() and to the API's `mediation` block, and
the paragraph gains the sentence "人民调解组织受理纠纷N宗，调解成功M宗，成功率X%。"; the report's
other readers (a building leader, a grid worker) see no trace of it anywhere."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from shuren.api.tests.test_mediations_stats import march as march  # the fixture
from shuren.insights.report_mediation import MEDIATION_DEFINITIONS
from shuren.insights.tests.test_report_files import poppler
from shuren.insights.tests.test_report_page import text
from shuren.mediation.statistics import statistics

pytestmark = pytest.mark.django_db
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
# The march fixture: at 桂城 three cases registered in March, one settled by agreement
# (3,200 yuan), one with two persons kept from a criminal case (1,000.50), one in 金碧 (999).
SENTENCE = "人民调解组织受理纠纷3宗，调解成功1宗，成功率33.3%。"
LABELS = ("人民调解受理纠纷", "调解成功纠纷", "防止民转刑案件", "防止群体性上访人数")


def get(client, world, user: str, name: str, place: str):
    client.force_login(world.user(user))
    return client.get(reverse(name), {"place": world.place(place).pk, **MARCH})


def expected(place):
    """statistics() of the place for March, as the report shows each figure."""
    table = statistics(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), place=place)
    return table, {
        "人民调解受理纠纷": str(table.total.accepted),
        "调解成功纠纷": str(table.total.succeeded),
        "调解成功率": f"{table.total.rate}%",
        "纠纷涉及金额": f"{table.total.amount:.2f}",
        "防止民转刑案件": str(table.criminal_cases),
        "防止民转刑人数": str(table.criminal_persons),
        "防止群体性上访案件": str(table.petition_cases),
        "防止群体性上访人数": str(table.petition_persons),
    }


def test_the_subdistricts_page_shows_the_figures_of_statistics_with_definitions(
    client, world, march
):
    response = get(client, world, "demo-jiedao", "insights:report", "GC")
    assert response.status_code == 200
    table, shown = expected(world.place("GC"))
    assert (table.total.accepted, table.total.succeeded, table.criminal_persons) == (3, 1, 2)
    body = text(response)
    for label, value in shown.items():
        assert f"{label} {value}" in body, label
    assert "调解成功率 33.3% 1/3" in body
    assert "纠纷涉及金额 5199.50 元" in body
    assert "防止民转刑人数 2 人" in body
    # Each figure with its definition in words, beside it.
    rows = response.context["report"].mediation_rows
    assert [r.code for r in rows] == [d.code for d in MEDIATION_DEFINITIONS]
    assert all(r.rule and r.rule in body for r in rows)
    assert "统计期内受理的案件中达成调解协议的" in body
    assert SENTENCE in body
    # The article's sentence itself is unchanged: the mediation one follows it.
    report = response.context["report"]
    assert SENTENCE not in report.paragraph
    assert body.index(report.paragraph) < body.index(SENTENCE)


def test_a_community_counts_its_own_places_only(client, world, march):
    response = get(client, world, "demo-shequ", "insights:report", "GC-JD")
    _table, shown = expected(world.place("GC-JD"))
    assert shown["人民调解受理纠纷"] == "2"
    body = text(response)
    assert all(f"{label} {value}" in body for label, value in shown.items())


def test_with_nothing_accepted_the_rate_has_nothing_to_count(client, world, march):
    client.force_login(world.user("demo-jiedao"))
    response = client.get(
        reverse("insights:report"),
        {"place": world.place("GC").pk, "start": "2026-04-01", "end": "2026-04-30"},
    )
    body = text(response)
    assert "人民调解受理纠纷 0 宗" in body
    assert "调解成功率 暂无可统计事项" in body
    assert "人民调解组织受理纠纷0宗，调解成功0宗。" in body


@pytest.mark.parametrize(("user", "place"), [("demo-louzhang", "GC-JD-JYLW-B01")])
def test_a_building_leader_reads_the_report_without_any_trace_of_mediation(
    client, world, march, user, place
):
    response = get(client, world, user, "insights:report", place)
    assert response.status_code == 200
    assert response.context["report"].mediation is None
    assert_no_mediation(text(response))


def test_a_grid_worker_reads_the_report_without_any_trace_of_mediation(
    client, world, march, tmp_path
):
    """Their community (尖东) has mediation figures; they see the report, never those."""
    client.force_login(world.user("demo-wangge"))
    response = client.get(reverse("insights:report"), MARCH)  # their outermost place
    assert response.status_code == 200
    report = response.context["report"]
    assert report.place == world.place("GC-JD")
    assert report.mediation is None
    table = statistics(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31), place=report.place)
    assert table.total.accepted == 2  # there is something to keep from them
    assert_no_mediation(text(response))
    xlsx = client.get(reverse("insights:report-xlsx"), MARCH)
    assert "协调处理邻里矛盾" in workbook_text(xlsx.content)
    assert_no_mediation(workbook_text(xlsx.content))
    words = pdf_text(client.get(reverse("insights:report-pdf"), MARCH).content, tmp_path)
    assert "协调处理邻里矛盾" in words
    assert_no_mediation(words)
    api = client.get("/api/v1/stats/report", {"place": report.place.pk, **MARCH}).json()
    assert api["mediation"] is None


def assert_no_mediation(words: str) -> None:
    assert "人民调解" not in words
    assert "调解成功" not in words
    assert "民转刑" not in words
    assert "群体性上访" not in words


def workbook_text(content: bytes) -> str:
    sheet = load_workbook(BytesIO(content)).active
    return " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)


def test_the_workbook_holds_the_figures_as_numbers_with_their_definitions(client, world, march):
    response = get(client, world, "demo-jiedao", "insights:report-xlsx", "GC")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    by_label = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    table, _shown = expected(world.place("GC"))
    assert by_label["人民调解受理纠纷"][1:3] == (table.total.accepted, "宗")
    assert by_label["调解成功纠纷"][1] == table.total.succeeded
    assert by_label["调解成功率"][1] == pytest.approx(1 / 3)  # a rate as a number 0-1
    assert by_label["调解成功率"][3] == "1/3"
    assert Decimal(str(by_label["纠纷涉及金额"][1])) == table.total.amount
    assert by_label["纠纷涉及金额"][2] == "元"
    assert by_label["防止民转刑案件"][1] == table.criminal_cases
    assert by_label["防止民转刑人数"][1] == table.criminal_persons
    assert by_label["防止群体性上访案件"][1] == table.petition_cases == 0
    assert "调解员记录的防止群体性上访人数" in by_label["防止群体性上访人数"][4]
    assert by_label["人民调解文字表述"][1] == SENTENCE
    assert "人民调解" in by_label  # the block's heading


def test_the_building_leaders_workbook_and_pdf_hold_no_mediation(client, world, march, tmp_path):
    xlsx = get(client, world, "demo-louzhang", "insights:report-xlsx", "GC-JD-JYLW-B01")
    assert xlsx.status_code == 200
    assert "协调处理邻里矛盾" in workbook_text(xlsx.content)
    assert_no_mediation(workbook_text(xlsx.content))
    pdf = get(client, world, "demo-louzhang", "insights:report-pdf", "GC-JD-JYLW-B01")
    words = pdf_text(pdf.content, tmp_path)
    assert "协调处理邻里矛盾" in words
    assert_no_mediation(words)


def test_the_pdf_holds_the_figures_and_the_sentence(client, world, march, tmp_path):
    response = get(client, world, "demo-jiedao", "insights:report-pdf", "GC")
    assert response.status_code == 200
    words = pdf_text(response.content, tmp_path)
    assert SENTENCE in words
    _table, shown = expected(world.place("GC"))
    for label, value in shown.items():
        assert re.search(re.escape(label) + r"\S*?" + re.escape(value), words), label
    assert "统计期内受理的案件中达成调解协议的" in words


def pdf_text(content: bytes, tmp_path) -> str:
    """The PDF's words without the spaces and line breaks the layout puts in."""
    pdftotext = poppler("pdftotext")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(content)
    words = subprocess.run(  # noqa: S603 - a fixed tool on our own file
        [pdftotext, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return "".join(words.split())


@pytest.mark.parametrize(("user", "place"), [("demo-jiedao", "GC"), ("demo-shequ", "GC-JD")])
def test_the_api_and_the_page_agree(client, world, march, user, place):
    page = get(client, world, user, "insights:report", place).context["report"].mediation
    api = client.get("/api/v1/stats/report", {"place": world.place(place).pk, **MARCH}).json()[
        "mediation"
    ]
    assert api == {
        "accepted": page.accepted,
        "succeeded": page.succeeded,
        "success_rate": pytest.approx(page.succeeded / page.accepted),
        "amount": f"{page.amount:.2f}",
        "criminal_cases": page.criminal_cases,
        "criminal_persons": page.criminal_persons,
        "petition_cases": page.petition_cases,
        "petition_persons": page.petition_persons,
        "definition": api["definition"],
    }
    assert "调解成功" in api["definition"]  # in the reader's language


@pytest.mark.parametrize(("user", "place"), [("demo-louzhang", "GC-JD-JYLW-B01")])
def test_the_api_and_the_page_agree_for_a_building_leader_too(client, world, march, user, place):
    page = get(client, world, user, "insights:report", place).context["report"]
    api = client.get("/api/v1/stats/report", {"place": world.place(place).pk, **MARCH}).json()
    assert page.mediation is None
    assert api["mediation"] is None
    assert "neighbour_disputes" in api


def test_every_mediation_figure_reads_in_chinese():
    with translation.override("zh-hans"):
        said = [(str(d.label), str(d.unit), str(d.rule)) for d in MEDIATION_DEFINITIONS]
    assert all(
        any("\u4e00" <= ch <= "\u9fff" for ch in "".join(words)) and "the" not in "".join(words)
        for words in said
    ), said
