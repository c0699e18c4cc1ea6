"""The scope matrix for a matter handled outside one's own place (经手的): every case route of
the matrix (pages and API) × every demo role, on the estate's gate that staff gave 刘楼长 and
then sent to the subdistrict. Besides the posts whose subtree holds it, exactly the leader who
handled it sees it; for everyone else it answers 404 like a missing case and nothing changes.
"""

from __future__ import annotations

import pytest

from shuren.access.tests.test_scope_matrix import MATRIX, ObjectRoute, _call, _state
from shuren.cases import actions
from shuren.cases.models import Case, Category
from shuren.testing import ROLE_USERS

# Written out by hand: the estate's posts (community, company, workshop, subdistrict; not the
# system administrator, 三员分立)
# and the one leader who handled it.
HANDLED_SEES = {
    "demo-louzhang",  # handled it: given it, then it moved up
    "demo-shequ",
    "demo-wangge",
    "demo-tiaojie",
    "demo-wuye",
    "demo-jiedao",
}
assert set(ROLE_USERS) >= HANDLED_SEES

CASE_ROUTES = sorted(
    route
    for route, entry in MATRIX.items()
    if isinstance(entry, ObjectRoute)
    and (route.startswith("cases/<int:pk>/") or route.startswith("api/v1/cases/<int:case_id>"))
    and "photos" not in route
)


def _gate(world) -> Case:
    case = actions.report_case(
        actor=world.user("demo-shequ"),
        place=world.place("GC-JD-JYLW"),
        category=Category.objects.get(code="facilities"),
        title="小区大门坏了",
    )
    actions.assign_case(actor=world.user("demo-shequ"), case=case, person=world.person("P-LZ1"))
    return actions.escalate_case(
        actor=world.user("demo-shequ"), case=case, reason="需街道协调", to_tier=4
    )


def test_every_case_route_is_in_this_table():
    assert len(CASE_ROUTES) >= 25
    assert "cases/<int:pk>/rate-on-behalf/" in CASE_ROUTES


# A walk of every route for every role, like the scope matrix's: run once, on the first database
# (the QuerySet behind it, handled_q, is checked on both by test_handled.py).
@pytest.mark.one_database
@pytest.mark.parametrize(("route", "role"), [(r, u) for r in CASE_ROUTES for u in ROLE_USERS])
def test_a_handled_matter_answers_by_the_table(client, world, route, role):
    gate = _gate(world)
    entry = MATRIX[route]
    assert isinstance(entry, ObjectRoute)
    client.force_login(world.user(role))
    before = _state()
    response = _call(client, entry.method, entry.url.format(pk=gate.pk), entry.data)
    if role in HANDLED_SEES:
        assert response.status_code != 404, (route, role)
    else:
        assert response.status_code == 404, (route, role, response.status_code)
        assert _state() == before, "an out-of-scope request changed data"
