"""The intake pages in the scope matrix: who may open which intake (none of them holds an object).

A resident reports where they live; leaders enter matters for residents in their places; community
and subdistrict staff and mediators enter matters in theirs (cases/intake/policy.py). Anyone else
gets the same 404 as a missing page.
"""

from __future__ import annotations

from shuren.access.tests.test_scope_matrix import PlainRoute

RESIDENTS = {"demo-resident"}
LEADERS = {"demo-louzhang", "demo-louzhang2", "demo-xiangzhang", "demo-jiezhang"}
STAFF = {"demo-shequ", "demo-shequ2", "demo-wangge", "demo-tiaojie", "demo-jiedao"}


def _only(roles: set[str]):
    return lambda role: 200 if role in roles else 404


ROUTES = {
    "cases/report/": PlainRoute("/cases/report/", _only(RESIDENTS)),
    "cases/report/duplicates/": PlainRoute(
        "/cases/report/duplicates/", _only(RESIDENTS | LEADERS | STAFF)
    ),
    "cases/quick/": PlainRoute("/cases/quick/", _only(LEADERS)),
    "cases/staff/": PlainRoute("/cases/staff/", _only(STAFF)),
}
