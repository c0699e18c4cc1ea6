"""The places routes added since the core matrix (access/tests/test_scope_matrix.py): a leader's
reveal of a resident's phone.

Building 1's sample resident (王秀英) said her leader may see her phone; the others did not. So
on building 1 the 楼长 of building 1 gets the number (200, logged) and everyone else who sees the
household is refused (403); on the other samples everyone who sees them is refused; out of scope
is the 404 of a missing id.
"""

from __future__ import annotations

from typing import Any

from shuren.access.tests.test_scope_matrix import RESIDENT_SEES, SAMPLES, ObjectRoute
from shuren.people.models import Person
from shuren.places.models import Resident
from shuren.testing import World


def build_samples(world: World) -> None:
    Person.objects.filter(code=SAMPLES["b1"][2]).update(leader_sees_phone=True)


def sample_resident(world: World, sample: str) -> Resident:
    _place, household_code, person_code = SAMPLES[sample]
    return Resident.objects.get(household__code=household_code, person__code=person_code)


ROUTES: dict[str, Any] = {
    "places/residents/<int:pk>/phone/": ObjectRoute(
        "/places/residents/{pk}/phone/",
        sample_resident,
        method="post",
        ok=lambda role: 200 if role == "demo-louzhang" else 403,
        sees=RESIDENT_SEES,
    ),
}
