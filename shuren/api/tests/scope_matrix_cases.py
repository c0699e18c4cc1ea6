"""The cases API's routes in the scope matrix (shuren/access/tests/test_scope_matrix.py).

Each sample's case is at the sample's place, reported by the sample's resident, so the matrix's
hand-written SEES table holds for cases as it does for places: the resident of building 1 sees
the case they reported, the leaders and staff the cases under their posts; the property company
only building 2's, which is entered at the estate tier (CASE_SEES). An action on a case
the role sees answers with the action's own verdict (done, refused, not possible now, invalid);
on any other case, 404 and nothing changes.
"""

from __future__ import annotations

from typing import Any

from shuren.access.tests.test_scope_matrix import (
    MISSING_ID,
    RESIDENT_SEES,
    SAMPLES,
    ObjectRoute,
    PlainRoute,
)
from shuren.cases.actions import report_case
from shuren.cases.models import Case, Category
from shuren.testing import World

TITLE = "样本事项：楼道堆放杂物"

# The matters each role sees: the places' table, but a property company sees only what its
# company holds at the estate tier (building 2's case), not every matter of its estates.
CASE_SEES = {**RESIDENT_SEES, "demo-wuye": {"b2"}}


def build_samples(world: World) -> None:
    """Report each sample's case once; the matrix module builds them (rolled back at its end)."""
    for sample, (place_code, _household, person_code) in SAMPLES.items():
        report_case(
            actor=None,
            place=world.place(place_code),
            category=Category.objects.get(code="neighbour-clutter"),
            title=TITLE,
            reporter=world.person(person_code),
            tier=2 if sample == "b2" else None,
        )


def sample_case(world: World, sample: str) -> Case:
    """The sample's case: at the sample's place, reported by the sample's resident."""
    place_code, _household, person_code = SAMPLES[sample]
    return Case.objects.get(place__code=place_code, reporter__code=person_code, title=TITLE)


def _action(name: str, data: dict[str, str], ok: set[int]) -> ObjectRoute:
    # The sample case is fresh (reported, version 1) in every test: each test rolls back.
    return ObjectRoute(
        f"/api/v1/cases/{{pk}}/{name}",
        sample_case,
        method="post",
        data={"version": "1", **data},
        ok=lambda role: ok,
        sees=CASE_SEES,
    )


def _any(*statuses: int) -> set[int]:
    return set(statuses)


ROUTES: dict[str, Any] = {
    "api/v1/categories": PlainRoute("/api/v1/categories"),
    "api/v1/cases": PlainRoute("/api/v1/cases"),
    "api/v1/cases/<int:case_id>": ObjectRoute("/api/v1/cases/{pk}", sample_case, sees=CASE_SEES),
    "api/v1/cases/<int:case_id>/accept": _action("accept", {}, _any(200, 403)),
    # Without a person or team the action says what is missing.
    "api/v1/cases/<int:case_id>/assign": _action("assign", {}, _any(422)),
    "api/v1/cases/<int:case_id>/note": _action("note", {"note": "电话联系了住户"}, _any(200, 403)),
    # Sent up, or refused; subdistrict staff only refer beyond, and are asked where to (422).
    "api/v1/cases/<int:case_id>/escalate": _action(
        "escalate", {"reason": "需社区协调"}, _any(200, 403, 422)
    ),
    # Nobody is assigned yet: refused, or not possible in this state.
    "api/v1/cases/<int:case_id>/return": _action("return", {"reason": "不归我管"}, _any(403, 409)),
    "api/v1/cases/<int:case_id>/resolve": _action(
        "resolve", {"method": "on_the_spot", "summary": "已当场清理"}, _any(200, 403)
    ),
    "api/v1/cases/<int:case_id>/follow-up": _action(
        "follow-up", {"satisfied": "true"}, _any(403, 409)
    ),
    # The sample is not resolved yet: refused, or not possible in this state.
    "api/v1/cases/<int:case_id>/rate-on-behalf": _action(
        "rate-on-behalf", {"satisfied": "true", "via": "phone"}, _any(403, 409)
    ),
    "api/v1/cases/<int:case_id>/close": _action("close", {}, _any(403, 409)),
    # The target does not exist: the caller is told so, whoever they are.
    "api/v1/cases/<int:case_id>/merge": _action("merge", {"into": str(MISSING_ID)}, _any(422)),
    "api/v1/cases/<int:case_id>/reject": _action(
        "reject", {"reason": "不属于社区事务"}, _any(200, 403)
    ),
}
