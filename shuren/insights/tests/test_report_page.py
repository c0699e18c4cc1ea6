"""The work report page: the article's paragraph in Chinese with the place's figures, each
figure with its unit and its definition beside it, every number a link to the records behind
it (the elevator figures from the consultation's projects); within the reader's scope only."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from shuren.access.tests.test_scope_matrix import _without_csrf
from shuren.cases.models import Case
from shuren.cases.tests.conftest import sh
from shuren.insights.tests.test_tallies import settle

pytestmark = pytest.mark.django_db
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def march(report, world):
    """In 尖东: two neighbour disputes settled (one satisfied, one not asked), one parking
    problem settled; in 同成 a parking problem settled (another community)."""
    settle(report(), at=sh(2026, 3, 3, 10))
    settle(report(title="楼上漏水"), satisfied=None, at=sh(2026, 3, 4, 10))
    settle(report(category_code="parking", title="车位被占"), at=sh(2026, 3, 5, 10))
    settle(
        report("demo-shequ2", "GC-TC-JYZY-T1", category_code="parking", title="乱停车"),
        at=sh(2026, 3, 5, 10),
    )
    return Case.objects.all()


def page(client, world, user="demo-shequ", **params):
    client.force_login(world.user(user))
    return client.get(reverse("insights:report"), params)


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def links(response) -> dict[str, dict[str, list[str]]]:
    """Each figure row's link to its records, as its query parameters."""
    out = {}
    for row in response.content.decode().split('<tr id="figure-')[1:]:
        code, _rest = row.split('"', 1)
        href = re.search(r'<a href="([^"]+)"', row.split("</tr>")[0])
        if href:
            out[code] = parse_qs(urlsplit(unescape(href[1])).query)
    return out


def test_the_paragraph_reads_as_the_article_with_the_communitys_figures(client, world, march):
    jd = world.place("GC-JD")
    response = page(client, world, place=jd.pk, **MARCH)
    assert response.status_code == 200
    assert (
        "尖东社区（2026-03-01至2026-03-31）：成功协调处理邻里矛盾2宗、解决小区卫生问题0个、"
        "协助破解治安案件0起、完成公共设施维护0处、解决安全问题0个、破解停车难问题1起、"
        "成功加装电梯的楼道0条、加装电梯的小区0个。"
    ) in text(response)


def test_each_figure_shows_its_unit_and_definition_the_elevators_counted(client, world, march):
    body = text(page(client, world, place=world.place("GC-JD").pk, **MARCH))
    assert "协调处理邻里矛盾 2 宗" in body
    assert "不予受理的反映不算事项" in body  # the settled counts' definition, beside them
    assert "加装电梯的楼道 0 条" in body  # counted from the elevator projects
    assert "进入“投入使用”阶段" in body
    assert re.search(r"回访满意率 100.0% \d+/\d+", body)  # a rate: per cent and n/m, no unit
    assert "楼长队伍 1 支" in body


def test_every_number_links_to_its_records_with_the_place_period_and_counter(client, world, march):
    jd = world.place("GC-JD")
    found = links(page(client, world, place=jd.pk, **MARCH))
    same = {"place": [str(jd.pk)], "start": ["2026-03-01"], "end": ["2026-03-31"]}
    assert found["neighbour_disputes"] == {
        **same,
        "counter": ["settled"],
        "category": ["neighbour"],
    }
    assert found["parking"]["category"] == ["parking"]
    assert found["on_time_rate"] == {**same, "counter": ["on_time_known"]}
    assert found["never_escalated_out_rate"] == {**same, "counter": ["counted"]}
    assert found["satisfaction_rate"] == {**same, "counter": ["followed_up"]}
    # Figures with no records behind them in the matters (yet) are plain text.
    assert "elevator_stairwells" not in found
    assert "leaders" not in found


def test_a_rate_with_nothing_to_count_says_so_and_links_nowhere(client, world):
    response = page(client, world, place=world.place("GC-JD").pk, **MARCH)
    assert "就地化解 暂无可统计事项" in text(response)
    assert "on_the_spot_rate" not in links(response)


def test_the_page_reads_in_english_too(client, world, march):
    type(world.user("demo-shequ")).objects.filter(username="demo-shequ").update(language="en")
    body = text(page(client, world, place=world.place("GC-JD").pk, **MARCH))
    assert "neighbour disputes settled 2 cases" in body
    assert "Stairwells with an elevator added 0 stairwells" in body


def test_by_default_the_outermost_place_and_this_year_so_far(client, world):
    response = page(client, world, "demo-jiedao")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.place == world.place("GC")
    assert report.period.start.month == report.period.start.day == 1
    assert report.period.end.year == report.period.start.year


@pytest.mark.parametrize(
    "user", ["demo-resident", "demo-tiaojie", "demo-wuye", "demo-admin", "demo-auditor", "nobody"]
)
def test_who_reads_no_figures_gets_404(client, world, user):
    assert page(client, world, user).status_code == 404
    assert page(client, world, user, place=world.place("GC-JD").pk).status_code == 404


def test_another_community_is_404_like_a_missing_place(client, world):
    tc = world.place("GC-TC").pk
    other = page(client, world, place=tc)
    missing = page(client, world, place=987_654_321)
    assert other.status_code == missing.status_code == 404
    # The same page but for the address asked (the language switch's way back).
    assert _without_csrf(other.content).replace(b"place=%d" % tc, b"place=X") == _without_csrf(
        missing.content
    ).replace(b"place=987654321", b"place=X")
    # A building leader reads their building, not their neighbour's or the community's.
    assert page(client, world, "demo-louzhang", place=world.place("GC-JD").pk).status_code == 404
    b1 = world.place("GC-JD-JYLW-B01").pk
    assert page(client, world, "demo-louzhang", place=b1).status_code == 200


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"start": "2026-03-31", "end": "2026-03-01"}, "期间的结束日期早于开始日期。"),
        ({"start": "1980-01-01", "end": "2026-03-01"}, "期间不能超过三十年。"),
        ({"start": "2026-02-30"}, "有效的日期"),
    ],
)
def test_a_bad_period_is_said_in_chinese_with_400(client, world, params, words):
    response = page(client, world, place=world.place("GC-JD").pk, **params)
    assert response.status_code == 400
    assert words in text(response)


def test_a_bad_period_for_someone_elses_place_is_still_404(client, world):
    tc = world.place("GC-TC").pk
    assert page(client, world, place=tc, start="2026-03-31", end="2026-03-01").status_code == 404


def test_the_page_reads_the_figures_in_a_pinned_number_of_queries(
    client, world, march, django_assert_num_queries
):
    client.force_login(world.user("demo-shequ"))
    url = reverse("insights:report")
    params = {"place": world.place("GC-JD").pk, **MARCH}
    client.get(url, params)  # warm the user's standing
    # 12: the ten of the figures, one for the elevators that entered service
    # (deliberation.elevators.queries.in_service_counts), and one for the mediation block a
    # community's staff reads (report_mediation.mediation_figures: mediation.statistics).
    with django_assert_num_queries(12):
        assert client.get(url, params).status_code == 200
