"""The inbox, case page and action routes in the scope matrix (access/tests/test_scope_matrix.py).

Each sample's case is at the sample's place, reported by the sample's resident, so the matrix's
hand-written SEES table holds: the resident of building 1 sees the case they reported, leaders
and staff the cases under their posts. Building 2's case is entered at the estate tier, which
the property company holds: the company sees that one and none of the others (CASE_SEES). On
a visible case an action answers with its own verdict (302 done, 403 refused, 409 not possible
now, 422 incomplete); on any other case, 404 and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from shuren.access.tests.test_scope_matrix import (
    RESIDENT_SEES,
    SAMPLES,
    UNMASKS,
    ObjectRoute,
    PlainRoute,
)
from shuren.cases.actions import report_case
from shuren.cases.models import Case, CasePhoto, Category
from shuren.testing import World

TITLE = "样本事项：楼上漏水到我家"
# A 1×1 transparent PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
PHOTO_NAME = "cases/scope-matrix/sample.png"

# The matters each role sees: the places' table, but a property company sees only what its
# company holds at the estate tier (building 2's case), not every matter of its estates.
CASE_SEES = {**RESIDENT_SEES, "demo-wuye": {"b2"}}


def build_samples(world: World) -> None:
    """Report each sample's case once, with an anonymous contact phone (so that revealing it has
    something to reveal) and a photo whose id is the case's id, so one {pk} names both. The
    matrix module builds them once and rolls them back at its end."""
    if not default_storage.exists(PHOTO_NAME):
        default_storage.save(PHOTO_NAME, ContentFile(PNG))
    for sample, (place_code, _household, person_code) in SAMPLES.items():
        case = report_case(
            actor=None,
            place=world.place(place_code),
            category=Category.objects.get(code="neighbour-leak"),
            title=TITLE,
            reporter=world.person(person_code),
            tier=2 if sample == "b2" else None,
            contact_phone="13987654321",
        )
        CasePhoto.objects.create(
            pk=case.pk,
            case=case,
            file=PHOTO_NAME,
            content_type="image/png",
            size=len(PNG),
        )


def sample_case(world: World, sample: str) -> Case:
    """The sample's case: at the sample's place, reported by the sample's resident."""
    place_code, _household, person_code = SAMPLES[sample]
    return Case.objects.get(place__code=place_code, reporter__code=person_code, title=TITLE)


def sample_case_with_photo(world: World, sample: str) -> Case:
    """The sample case, whose photo has the case's id."""
    case = sample_case(world, sample)
    assert CasePhoto.objects.filter(pk=case.pk, case=case).exists()
    return case


def _action(name: str, data: dict[str, str], ok: set[int]) -> ObjectRoute:
    # The sample case is fresh (reported, version 1) in every test: each test rolls back.
    return ObjectRoute(
        f"/cases/{{pk}}/{name}/",
        sample_case,
        method="post",
        data={"version": "1", **data},
        ok=lambda role: ok,
        sees=CASE_SEES,
    )


def _reveal_ok(role: str) -> int:
    return 200 if role in UNMASKS else 403


ROUTES: dict[str, Any] = {
    "cases/": PlainRoute("/cases/"),
    # The desk's dispatch of several matters names them in its body: posted empty, everyone is
    # asked to tick some. What it does with a matter out of scope (exactly what it does with a
    # missing id, and nothing) is tests/test_desk_dispatch.py's.
    "cases/dispatch/": PlainRoute("/cases/dispatch/", lambda role: 422, method="post"),
    "cases/<int:pk>/": ObjectRoute("/cases/{pk}/", sample_case, sees=CASE_SEES),
    "cases/<int:pk>/photos/<int:photo_pk>/": ObjectRoute(
        "/cases/{pk}/photos/{pk}/", sample_case_with_photo, sees=CASE_SEES
    ),
    "cases/<int:pk>/accept/": _action("accept", {}, {302, 403}),
    # Without a person or team the form says what is missing (or the role may not dispatch).
    "cases/<int:pk>/assign/": _action("assign", {}, {403, 422}),
    "cases/<int:pk>/note/": _action("note", {"note": "电话联系了住户"}, {302, 403}),
    # Sent up, or refused; subdistrict staff only refer beyond, and are asked where to (422).
    "cases/<int:pk>/escalate/": _action("escalate", {"reason": "需社区协调"}, {302, 403, 422}),
    # Nobody is assigned yet: refused, or not possible in this state.
    "cases/<int:pk>/return/": _action("return", {"reason": "不归我管"}, {403, 409, 422}),
    "cases/<int:pk>/resolve/": _action(
        "resolve", {"method": "on_the_spot", "summary": "已当场处理"}, {302, 403}
    ),
    "cases/<int:pk>/follow-up/": _action("follow-up", {"satisfied": "yes"}, {403, 409}),
    # The sample is not resolved yet: refused, or not possible in this state.
    "cases/<int:pk>/rate-on-behalf/": _action(
        "rate-on-behalf", {"satisfied": "yes", "via": "phone"}, {403, 409}
    ),
    "cases/<int:pk>/close/": _action("close", {}, {403, 409}),
    # The target does not exist: the form says so, or the role may not merge.
    "cases/<int:pk>/merge/": _action("merge", {"into": "GC-1999-999999"}, {403, 422}),
    "cases/<int:pk>/reject/": _action("reject", {"reason": "不属于社区事务"}, {302, 403}),
    "cases/<int:pk>/reveal-phone/": ObjectRoute(
        "/cases/{pk}/reveal-phone/",
        sample_case,
        method="post",
        data={"reason": "联系反映人核实情况"},
        ok=_reveal_ok,
        sees=CASE_SEES,
    ),
}
