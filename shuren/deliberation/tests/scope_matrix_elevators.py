"""The elevator project pages in the scope matrix (access/tests/test_scope_matrix.py).

Each sample place has an elevator project, registered by the system: on the stairwell of 1栋
and 2栋 of 金域蓝湾, and on the tower of 万科金域中央 and the lane house, which are registered
without stairwells. Its staff (the community staff over the place, the subdistrict staff) and
the owners of its flats see it; everyone else, the building leader and the property company
included, gets 404 as for a missing id, and nothing changes. A fresh project is at the survey
stage, so most steps are refused in words (422), and an owner may not take the staff's (403);
the staff may stop it (302). The registration form for each sample's place opens for the staff
who may register there (the page says a project is under way) and is a 404 for everyone else."""

from __future__ import annotations

from typing import Any

from shuren.access.tests.test_scope_matrix import SAMPLES, ObjectRoute, PlainRoute
from shuren.deliberation.actions import create_project
from shuren.deliberation.models import ElevatorProject
from shuren.testing import ROLE_USERS, World

PLACES = {
    "b1": "GC-JD-JYLW-B01-U1",
    "b2": "GC-JD-JYLW-B02-U1",
    "t1": "GC-TC-JYZY-T1",
    "lane": "GC-JB-L01-B01",
}
MANAGERS = {"demo-shequ", "demo-shequ2", "demo-jiedao"}
ELEVATOR_SEES: dict[str, set[str]] = {role: set() for role in ROLE_USERS}
ELEVATOR_SEES["demo-shequ"] = {"b1", "b2"}
ELEVATOR_SEES["demo-shequ2"] = {"t1"}
ELEVATOR_SEES["demo-jiedao"] = set(SAMPLES)
ELEVATOR_SEES["demo-resident"] = {"b1"}  # 王秀英 owns 1栋1单元101
# Who may register a project at each sample's stairwell: its staff only, not its owners.
REGISTERS = {role: ELEVATOR_SEES[role] if role in MANAGERS else set() for role in ROLE_USERS}


def build_samples(world: World) -> None:
    for sample in SAMPLES:
        create_project(actor=None, place=world.place(PLACES[sample]))


def sample_project(world: World, sample: str) -> ElevatorProject:
    return ElevatorProject.objects.get(place__code=PLACES[sample])


def sample_place(world: World, sample: str) -> Any:
    return world.place(PLACES[sample])


def _action(slug: str, data: dict[str, str], managers: set[int], owner: set[int]) -> ObjectRoute:
    return ObjectRoute(
        f"/deliberation/elevators/{{pk}}/{slug}/",
        sample_project,
        method="post",
        data={"version": "1", **data},
        ok=lambda role: managers if role in MANAGERS else owner,
        sees=ELEVATOR_SEES,
    )


REFUSED = {422}
ROUTES: dict[str, Any] = {
    "deliberation/elevators/": PlainRoute("/deliberation/elevators/"),
    "deliberation/elevators/overview/": PlainRoute(
        "/deliberation/elevators/overview/", lambda role: 200 if role in MANAGERS else 404
    ),
    # The form for a stairwell (each sample's has a project under way: the page says so, 200).
    "deliberation/elevators/new/": ObjectRoute(
        "/deliberation/elevators/new/?place={pk}", sample_place, sees=REGISTERS
    ),
    "deliberation/elevators/<int:pk>/": ObjectRoute(
        "/deliberation/elevators/{pk}/", sample_project, sees=ELEVATOR_SEES
    ),
    "deliberation/elevators/<int:pk>/survey/": _action(
        "survey", {"asked": "8", "in_favour": "6"}, {302}, {403}
    ),
    "deliberation/elevators/<int:pk>/advance/": _action("advance", {}, REFUSED, {403}),
    "deliberation/elevators/<int:pk>/vote/": _action(
        "vote", {"opens_on": "2030-01-20", "closes_on": "2030-01-30"}, REFUSED, {403}
    ),
    "deliberation/elevators/<int:pk>/affected/": _action(
        "affected", {"household": "0", "how": "占用花园"}, REFUSED, REFUSED
    ),
    "deliberation/elevators/<int:pk>/consent/": _action(
        "consent", {"signer": "0-0", "given": "yes"}, REFUSED, REFUSED
    ),
    "deliberation/elevators/<int:pk>/costs/": _action(
        "costs", {"total": "100.00"}, REFUSED, {403, 422}
    ),
    "deliberation/elevators/<int:pk>/object/": _action(
        "object", {"text": "挡光"}, REFUSED, REFUSED
    ),
    "deliberation/elevators/<int:pk>/settle/": _action(
        "settle", {"objection": "0", "note": "已调解"}, REFUSED, REFUSED
    ),
    "deliberation/elevators/<int:pk>/stop/": _action(
        "stop", {"reason": "业主撤回申请"}, {302}, {403}
    ),
}
