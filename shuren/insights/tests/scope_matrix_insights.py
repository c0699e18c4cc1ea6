"""The overview and the records page in the scope matrix (access/tests/test_scope_matrix.py).

Figures are read by the staff and leaders whose posts cover the place (insights/rules.py): a
building's by its 楼长, the community's staff and grid member, subdistrict staff. A resident, a
mediator, a property company, the administrators and the auditor read none, and a place they may
not read answers 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from shuren.access.tests.test_scope_matrix import ObjectRoute, _place

# Which sample places each role reads the figures of, written out by hand.
FIGURE_SEES: dict[str, set[str]] = {
    "demo-resident": set(),
    "demo-louzhang": {"b1"},
    "demo-louzhang2": {"b2"},
    "demo-xiangzhang": {"lane"},
    "demo-jiezhang": set(),
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

ROUTES: dict[str, Any] = {
    # The work report's JSON (api/stats.py): the same readers; its 404 body names no address.
    "api/v1/stats/report": ObjectRoute(
        "/api/v1/stats/report?place={pk}&start=2026-01-01&end=2026-12-31",
        _place,
        sees=FIGURE_SEES,
    ),
    "insights/": ObjectRoute("/insights/?place={pk}", _place, sees=FIGURE_SEES),
    # The place is judged before anything else: a place the role reads, asked with no figure,
    # is a 400 page saying so; any other, 404. (One parameter only: the matrix compares the
    # 404 bodies with the address taken out, and a second one would be written as &amp;.)
    # The lists themselves: tests/test_overview.py.
    "insights/records/": ObjectRoute(
        "/insights/records/?place={pk}", _place, ok=lambda role: 400, sees=FIGURE_SEES
    ),
}
