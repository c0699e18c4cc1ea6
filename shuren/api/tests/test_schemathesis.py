"""Property tests over /api/v1/openapi.json with every check schemathesis has (`--checks all`):
whatever it sends, no 5xx; every answer has a documented status, content type, headers and
shape; what the document forbids is refused and what it allows is accepted; a request without
the token is refused. The checks left out, and why, are in EXCLUDED below (and in
docs/security.md).

The requests go through Django's WSGI handler in this process, inside the test's transaction
(with the shared world and a few cases), as a community staff member with a bearer token: a
wide scope, so that many generated requests reach the actions rather than stopping at 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS as REGISTERED
from schemathesis.checks import load_all_checks

from shuren.accounts.models import ApiToken
from shuren.api.v1 import api
from shuren.cases.models import Case, Category
from shuren.mediation.models import Mediation
from shuren.people.models import Person, Team
from shuren.places.models import Place

# Every check schemathesis registers runs, but these, each for its reason:
EXCLUDED: dict[str, str] = {
    "use_after_free": "needs links between operations (a DELETE, then a GET of what it "
    "deleted); the API deletes nothing and its document declares no links, so the check "
    "has nothing to compare",
    "ensure_resource_availability": "the same: it follows a create operation's links to a "
    "read, and the document declares none (a reported case is read back by "
    "test_cases_report.py)",
    "object_level_authorization": "needs a second identity configured to swap in; scope "
    "(another building's matter answers 404 like a missing one) is what the scope matrix, "
    "shuren/access/tests/test_scope_matrix.py, checks for every route and role",
}
load_all_checks()  # the OpenAPI checks register themselves when first loaded
CHECKS = [check for check in REGISTERED.get_all() if check.__name__ not in EXCLUDED]
assert len(CHECKS) + len(EXCLUDED) == len(REGISTERED.get_all()) >= 14, "a check went missing"
EXAMPLES_PER_OPERATION = 20


# Built from the API object itself (no request needed) and answered by Django's WSGI handler.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()
# A request the document allows may still name nothing (a category code that does not exist, a
# place outside the caller's scope, a tier the caller may not send to): the domain refuses it
# with 422 and says which field, which a schema cannot express. Every other refusal of a valid
# request still fails positive_data_acceptance.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses,
    "422",
]


@pytest.fixture
def shared_transaction(db):
    """Let requests run in the test's connection and transaction.

    Django closes the connection at the end of each request; inside a test transaction that
    would throw the test's data away, so, as Django's own test client does, it is not done here.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass
class Targets:
    """Real ids in community staff's scope, for aiming generated ids at something that exists."""

    cases: list[int]
    places: list[int]
    people: list[int]
    teams: list[int]
    categories: list[str]
    mediations: list[int]
    organisations: list[int]

    @staticmethod
    def pick(options: list, seed: int) -> object:
        return options[seed % len(options)]

    def aim(self, case: Any) -> None:
        """Swap generated ids for real ones (most of the time), so that the success paths and
        the conflicts are exercised too, not only 404 and 422. Ill-typed values stay as sent,
        and a request made to break the document (negative mode) is sent as it is."""
        if case.meta is not None and case.meta.generation.mode.is_negative:
            return
        params, body = case.path_parameters, case.body
        for name, options in (
            ("case_id", self.cases),
            ("place_id", self.places),
            ("mediation_id", self.mediations),
        ):
            if _aimable(params.get(name)):
                params[name] = self.pick(options, params[name])
        if not isinstance(body, dict):
            return
        for name, options in (
            ("place", self.places),
            ("person", self.people),
            ("team", self.teams),
            ("into", self.cases),
            ("organisation", self.organisations),
        ):
            if _aimable(body.get(name)):
                body[name] = self.pick(options, body[name])
        if isinstance(body.get("category"), str) and len(body["category"]) % 4:
            body["category"] = self.pick(self.categories, len(body["category"]))
        if _aimable(body.get("version")) and isinstance(params.get("case_id"), int):
            current = Case.objects.filter(pk=params["case_id"]).values_list("version", flat=True)
            body["version"] = current.first() or body["version"]
        if _aimable(body.get("version")) and isinstance(params.get("mediation_id"), int):
            found = Mediation.objects.filter(pk=params["mediation_id"]).values_list("version")
            body["version"] = found.first() or body["version"]


def _aimable(value: object) -> bool:
    # Three in four: the rest keep their generated value and mostly meet a 404 or a 422.
    return isinstance(value, int) and not isinstance(value, bool) and value % 4 != 3


@pytest.fixture
def targets(shared_transaction, world) -> Targets:
    from shuren.cases.actions import report_case
    from shuren.mediation.actions import PartyInput, register_mediation

    workshop = Team.objects.get(code="T-SZM")
    for code in ("GC-JD-JYLW-B01", "GC-TC-JYZY-T1"):  # the disputes its mediator's requests aim at
        register_mediation(
            actor=world.user("demo-tiaojie"),
            organisation=workshop,
            place=world.place(code),
            source="application",
            dispute_type="neighbours",
            title="楼上漏水纠纷",
            summary="天花板渗水",
            parties=[PartyInput("applicant", "王秀英"), PartyInput("respondent", "陈美玲")],
        )
    staff = world.user("demo-shequ")
    for code in ("GC-JD-JYLW-B01-U1", "GC-JD-JYLW-B02", "GC-JD-JDXC-B01"):
        report_case(
            actor=staff,
            place=world.place(code),
            category=Category.objects.get(code="sanitation"),
            title="楼道垃圾未清运",
        )
    return Targets(
        cases=list(Case.objects.visible_to(staff).order_by("pk").values_list("pk", flat=True)),
        places=list(Place.objects.visible_to(staff).order_by("pk").values_list("pk", flat=True)),
        people=list(Person.objects.visible_to(staff).order_by("pk").values_list("pk", flat=True)),
        teams=list(Team.objects.order_by("pk").values_list("pk", flat=True)),
        categories=list(Category.objects.order_by("pk").values_list("code", flat=True)),
        mediations=list(
            Mediation.objects.visible_to(world.user("demo-tiaojie"))
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
        organisations=[workshop.pk],
    )


@pytest.fixture
def bearer(shared_transaction, world) -> dict[str, str]:
    _token, raw = ApiToken.issue(user=world.user("demo-shequ"), name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def mediator_bearer(shared_transaction, world) -> dict[str, str]:
    """A mediation case is its organisation's alone: its operations are sent by its mediator."""
    _token, raw = ApiToken.issue(user=world.user("demo-tiaojie"), name="schemathesis")
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_published_contract(case, bearer, mediator_bearer, targets):
    targets.aim(case)
    mediation = case.path.startswith("/api/v1/mediations")
    case.call_and_validate(headers=mediator_bearer if mediation else bearer, checks=CHECKS)
