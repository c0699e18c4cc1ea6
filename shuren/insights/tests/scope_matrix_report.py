"""The work report's and the scorecard's routes in the scope matrix (access/tests/
test_scope_matrix.py). The page and its downloads answer those who read a place's figures
(insights.rules.FIGURE_ROLES) with their outermost place and 404 everyone else; the API's report
of a sample place answers those whose figure posts cover it, any other place is a 404 like a
missing one. The scorecard is of a community: its staff and the subdistrict's."""

from __future__ import annotations

from typing import Any

from shuren.access.tests.test_scope_matrix import SAMPLES, ObjectRoute, PlainRoute
from shuren.testing import World

FIGURE_READERS = {
    "demo-louzhang",
    "demo-louzhang2",
    "demo-xiangzhang",
    "demo-jiezhang",
    "demo-shequ",
    "demo-shequ2",
    "demo-wangge",
    "demo-jiedao",
}
COMMUNITY_READERS = {"demo-shequ", "demo-shequ2", "demo-wangge", "demo-jiedao"}
# The sample places whose figures each role reads, written out by hand.
FIGURES_SEE: dict[str, set[str]] = {
    "demo-resident": set(),
    "demo-louzhang": {"b1"},
    "demo-louzhang2": {"b2"},
    "demo-xiangzhang": {"lane"},
    "demo-jiezhang": set(),  # 桂雅路: no sample place
    "demo-shequ": {"b1", "b2"},
    "demo-shequ2": {"t1"},
    "demo-wangge": {"b1", "b2"},
    "demo-tiaojie": set(),
    "demo-wuye": set(),
    "demo-jiedao": {"b1", "b2", "t1", "lane"},
    "demo-admin": set(),
    "demo-auditor": set(),
    "demo-secadmin": set(),
}


def _place(world: World, sample: str) -> Any:
    return world.place(SAMPLES[sample][0])


def _readers(role: str) -> int:
    return 200 if role in FIGURE_READERS else 404


ROUTES = {
    "api/v1/stats/report": ObjectRoute(
        "/api/v1/stats/report?place={pk}&start=2026-01-01&end=2026-12-31",
        _place,
        sees=FIGURES_SEE,
    ),
    # Without a place: the reader's own outermost place. Another place is the same 404 as a
    # missing one (test_report_page.py, test_report_files.py).
    "insights/report/": PlainRoute("/insights/report/", _readers),
    "insights/report/pdf/": PlainRoute("/insights/report/pdf/", _readers),
    "insights/report/xlsx/": PlainRoute("/insights/report/xlsx/", _readers),
    "insights/scorecard/": PlainRoute(
        "/insights/scorecard/", lambda role: 200 if role in COMMUNITY_READERS else 404
    ),
}
