"""The overview shows each figure reader their own place (the 楼长 their building, community staff
their community, subdistrict staff the subdistrict), every number on it opens a records page
listing exactly that many matters, nobody else gets either page, a bad address is a 400 page
with words (never a 500), and the page costs the same few queries however many matters."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuren.cases import actions
from shuren.cases.tests.conftest import MONDAY
from shuren.insights.figures import Period, by_category
from shuren.insights.web.tables import RATES

pytestmark = pytest.mark.django_db

YEAR = {"start": "2026-01-01", "end": "2026-12-31"}
FIGURE = re.compile(r'<a class="figure" href="(?P<url>[^"]+)">(?P<n>\d+)</a>')
COUNT = re.compile(r'class="records-count">(?P<n>\d+)')


@pytest.fixture
def matters(report):
    """Six matters of March 2026 across the subdistrict, reported and handled by the actions."""
    later = MONDAY + dt.timedelta(days=1)
    open_odour = report(None, "GC-JD-JYLW-B01-U1")
    noise = report(
        "demo-resident", "GC-JD-JYLW-B01-U1", category_code="neighbour-noise", title="楼上很吵"
    )
    actions.accept_case(actor=None, case=noise, at=later)
    actions.resolve_case(
        actor=None, case=noise, method="on_the_spot", summary="已当场劝解", at=later
    )
    actions.follow_up_case(actor=None, case=noise, satisfied=True, at=later)
    litter = report(None, "GC-JD-JYLW-B02", category_code="sanitation", title="楼道堆放垃圾")
    leak = report(None, "GC-TC-JYZY-T1", category_code="neighbour-leak", title="楼上漏水")
    actions.escalate_case(actor=None, case=leak, reason="需街道协调", to_tier=4, at=later)
    actions.resolve_case(actor=None, case=leak, method="mediation", summary="已调解", at=later)
    lamp = report(None, "GC-JB-L01-B01", category_code="facilities", title="路灯不亮")
    actions.reject_case(actor=None, case=lamp, reason="不属于社区事务", at=later)
    parking = report(None, "GC-JD-JDXC-B01", category_code="parking", title="乱停车")
    return {
        "open_odour": open_odour,
        "noise": noise,
        "litter": litter,
        "leak": leak,
        "lamp": lamp,
        "parking": parking,
    }


def figures_on(client, url: str, **params: str) -> list[tuple[str, int]]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return [(unescape(m["url"]), int(m["n"])) for m in FIGURE.finditer(response.content.decode())]


def listed(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    match = COUNT.search(response.content.decode())
    assert match, url
    return int(match["n"])


def heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.content.decode())[1]


class TestEachFigureReaderSeesTheirOwnPlace:
    def test_subdistrict_staff_see_the_subdistrict_with_its_communities_side_by_side(
        self, client, world, matters
    ):
        client.force_login(world.user("demo-jiedao"))
        response = client.get("/insights/", YEAR)
        assert "桂城街道" in heading(response)
        html = response.content.decode()
        for community in ("尖东社区", "同成社区", "江滨社区", "桂雅社区"):
            assert community in html
        headline = dict(zip(("counted", "open", "settled"), _headline(html), strict=True))
        # Six reported, one rejected (not a matter): five counted; two settled, three open.
        assert headline == {"counted": 5, "open": 3, "settled": 2}

    def test_community_staff_see_their_community_with_its_estates(self, client, world, matters):
        client.force_login(world.user("demo-shequ"))
        response = client.get("/insights/", YEAR)
        assert "尖东社区" in heading(response)
        html = response.content.decode()
        assert "金域蓝湾" in html
        assert "尖东新村" in html
        assert "同成社区" not in html
        assert _headline(html) == [4, 3, 1]

    def test_the_building_leader_sees_their_building(self, client, world, matters):
        client.force_login(world.user("demo-louzhang"))
        response = client.get("/insights/", YEAR)
        assert "1栋" in heading(response)
        assert _headline(response.content.decode()) == [2, 1, 1]

    def test_an_estate_shows_its_buildings_by_their_open_matters(self, client, world, matters):
        client.force_login(world.user("demo-shequ"))
        estate = world.place("GC-JD-JYLW")
        html = client.get("/insights/", {"place": estate.pk, **YEAR}).content.decode()
        grid = re.findall(
            r'<a class="building building-(\d)" href="([^"]+)"><span class="building-name">'
            r"([^<]+)</span> <span class=\"building-open\">([^<]+)</span>",
            html,
        )
        assert [(name, words) for _level, _url, name, words in grid] == [
            ("1栋", "未办结1件"),
            ("2栋", "未办结1件"),
        ]
        for _level, url, _name, _words in grid:
            assert listed(client, unescape(url)) == 1

    @pytest.mark.parametrize(
        ("username", "pages"),
        [
            (
                "demo-jiedao",
                {"/insights/", "/insights/report/", "/insights/register/", "/insights/scorecard/"},
            ),
            (
                "demo-shequ",
                {"/insights/", "/insights/report/", "/insights/register/", "/insights/scorecard/"},
            ),
            ("demo-louzhang", {"/insights/", "/insights/report/", "/insights/register/"}),
            ("demo-resident", set()),
            ("demo-tiaojie", set()),
            ("demo-wuye", set()),
        ],
    )
    def test_the_home_page_leads_figure_readers_to_each_page_they_may_open(
        self, client, world, username, pages
    ):
        client.force_login(world.user(username))
        home = client.get("/").content.decode()
        linked = {
            p
            for p in (
                "/insights/",
                "/insights/report/",
                "/insights/register/",
                "/insights/scorecard/",
            )
            if f'href="{p}"' in home
        }
        assert linked == pages
        for page in pages:
            assert client.get(page).status_code == 200, page


def _headline(html: str) -> list[int]:
    block = html.split('id="headline"', 1)[1].split("</section>", 1)[0]
    return [int(m["n"]) for m in FIGURE.finditer(block)]


@pytest.mark.parametrize("username", ["demo-jiedao", "demo-shequ", "demo-louzhang"])
def test_every_figure_opens_a_list_of_exactly_that_many_matters(client, world, matters, username):
    client.force_login(world.user(username))
    found = figures_on(client, "/insights/", **YEAR)
    assert len(found) > 30
    for url, n in found:
        assert url.startswith("/insights/records/?")
        assert listed(client, url) == n, url


def test_a_community_figure_opens_the_same_number_for_subdistrict_staff(client, world, matters):
    """The side-by-side row of a community links to that community's records."""
    client.force_login(world.user("demo-jiedao"))
    found = figures_on(client, "/insights/", **YEAR)
    jd = world.place("GC-JD").pk
    of_jd = [(url, n) for url, n in found if f"place={jd}&" in url]
    assert of_jd
    assert all(listed(client, url) == n for url, n in of_jd)


def test_the_records_count_is_the_tally_sum(client, world, matters):
    client.force_login(world.user("demo-jiedao"))
    gc = world.place("GC")
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    tallied = by_category(gc.path, period)["neighbour"]
    for counter in ("counted", "settled", "open", "satisfied"):
        url = (
            f"/insights/records/?place={gc.pk}&start=2026-01-01&end=2026-12-31"
            f"&counter={counter}&category=neighbour"
        )
        assert listed(client, url) == tallied.get(counter, 0), counter


def test_the_records_list_names_each_matter_and_links_to_its_page(client, world, matters):
    client.force_login(world.user("demo-shequ"))
    jd = world.place("GC-JD")
    response = client.get(
        "/insights/records/",
        {"place": jd.pk, "counter": "settled", "category": "neighbour", "month": "2026-03", **YEAR},
    )
    html = response.content.decode()
    noise = matters["noise"]
    assert f'href="/cases/{noise.pk}/"' in html
    assert noise.number in html
    assert "楼上很吵" in html
    assert "金域蓝湾" in html
    assert "2026-03-02" in html
    assert listed(client, response.wsgi_request.get_full_path()) == 1


def test_the_tier_metrics_show_their_numerators_and_denominators(client, world, matters):
    client.force_login(world.user("demo-jiedao"))
    html = client.get("/insights/", YEAR).content.decode()
    block = html.split('id="t-rates"', 1)[1].split("</section>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", block, re.DOTALL)[1:]
    assert len(rows) == len(RATES)
    on_the_spot = rows[0]
    # Two settled: the noise by the leader (tier 1), the leak by the subdistrict (tier 4).
    assert ">50.0%<" in on_the_spot
    assert ">1</a>" in on_the_spot
    assert ">2</a>" in on_the_spot
    assert ">50.0%<" in rows[1]
    assert ">100.0%<" in rows[2]


class TestNobodyElseReadsTheFigures:
    @pytest.mark.parametrize(
        "username",
        ["demo-resident", "demo-tiaojie", "demo-wuye", "demo-admin", "demo-auditor", "nobody"],
    )
    def test_those_who_read_no_figures_get_404_on_both_pages(self, client, world, username):
        client.force_login(world.user(username))
        gc = world.place("GC").pk
        assert client.get("/insights/").status_code == 404
        assert client.get("/insights/", {"place": gc}).status_code == 404
        records = {"place": gc, "counter": "counted", **YEAR}
        assert client.get("/insights/records/", records).status_code == 404
        assert client.get("/insights/records/", {"start": "bad"}).status_code == 404

    def test_another_communitys_place_is_404_like_a_missing_one(self, client, world, matters):
        client.force_login(world.user("demo-shequ"))
        for place in (world.place("GC-TC").pk, world.place("GC").pk, 987654321):
            assert client.get("/insights/", {"place": place}).status_code == 404
            records = {"place": place, "counter": "counted", **YEAR}
            assert client.get("/insights/records/", records).status_code == 404

    def test_the_building_leader_may_not_read_the_next_building(self, client, world):
        client.force_login(world.user("demo-louzhang"))
        b2 = world.place("GC-JD-JYLW-B02").pk
        assert client.get("/insights/", {"place": b2}).status_code == 404


class TestABadAddressIsA400PageWithWords:
    @pytest.mark.parametrize(
        ("params", "words"),
        [
            ({"start": "2026-13-01"}, "不是形如2026-03-31的日期"),
            ({"start": "2026-05-01", "end": "2026-04-01"}, "结束日期早于开始日期"),
            ({"start": "1900-01-01"}, "须在2000-01-01至2100-12-31之间"),
            ({"counter": "days_taken"}, "要列出哪个数字"),
            ({"category": "neighbour-noise"}, "没有这个类别"),
            ({"month": "2026-3"}, "形如2026-03的月份"),
            ({"month": "2025-12"}, "不在所选时间段内"),
            ({"place": "abc"}, "不是有效的地点编号"),
            ({"place": ""}, "网址里没有地点"),
        ],
    )
    def test_the_records_page(self, client, world, params, words):
        client.force_login(world.user("demo-jiedao"))
        query = {"place": world.place("GC").pk, "counter": "counted", **YEAR, **params}
        response = client.get("/insights/records/", query)
        assert response.status_code == 400
        assert words in response.content.decode()

    def test_the_overview(self, client, world):
        client.force_login(world.user("demo-jiedao"))
        response = client.get("/insights/", {"end": "2026-02-30"})
        assert response.status_code == 400
        assert "不是形如2026-03-31的日期" in response.content.decode()


def _queries(client, **params: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/insights/", params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("username", "place", "expected"),
    [
        ("demo-jiedao", "GC", 10),
        ("demo-shequ", "GC-JD-JYLW", 11),
        ("demo-louzhang", "GC-JD-JYLW-B01", 9),
    ],
)
def test_the_overview_costs_the_same_queries_however_many_matters(
    client, world, report, username, place, expected
):
    client.force_login(world.user(username))
    params = {"place": str(world.place(place).pk), **YEAR}
    client.get("/insights/", params)  # the session, the categories: read once per process
    before = _queries(client, **params)
    for i in range(8):
        report(None, "GC-JD-JYLW-B01-U1", title=f"第{i}件")
        report(None, "GC-JD-JYLW-B02", category_code="sanitation", title=f"垃圾{i}")
    after = _queries(client, **params)
    assert (before, after) == (expected, expected)
