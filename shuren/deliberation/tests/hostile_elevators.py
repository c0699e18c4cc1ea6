"""The elevator pages in the fuzz (tests/test_hostile_pages.py): the lists, the project page of
building 1's sample project (scope_matrix_elevators, at the survey stage) and each of its
actions' forms, posted by the community staff running it (the owner's objection form too), and
the registration form, for 尖东新村1座 (a building without stairwells and without a project)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shuren.deliberation.tests.scope_matrix_elevators import sample_project
from shuren.deliberation.web.elevator_forms import ACTIONS
from shuren.testing import World


def _url(suffix: str = "") -> Callable[[World], str]:
    return lambda world: f"/deliberation/elevators/{sample_project(world, 'b1').pk}/{suffix}"


LONE_BUILDING = "GC-JD-JDXC-B01"


def _new(world: World) -> str:
    return f"/deliberation/elevators/new/?place={world.place(LONE_BUILDING).pk}"


def _register(world: World) -> dict[str, str | None]:
    return {
        "place": str(world.place(LONE_BUILDING).pk),
        "title": "尖东新村1座加装电梯",
        "matter": "7",
        "notice_days": "10",
    }


def entries(page: Any, form: Any, at: Callable[[str], Callable[[World], str]]) -> dict[str, Any]:
    """The registry's entries, made with its own Page and Form (passed in: no import cycle)."""

    def action(
        key: str, fields: Callable[[World], dict[str, str | None]], user: str = "demo-shequ"
    ) -> Any:
        spec = ACTIONS[key]
        return form(
            user,
            _url(f"{spec.slug}/"),
            lambda world: {"version": str(sample_project(world, "b1").version), **fields(world)},
            form_class=spec.form,
        )

    return {
        "deliberation/elevators/": page("demo-shequ", at("/deliberation/elevators/"), ("stage",)),
        "deliberation/elevators/overview/": page(
            "demo-jiedao", at("/deliberation/elevators/overview/"), ("place",)
        ),
        "deliberation/elevators/new/": form(
            "demo-shequ",
            lambda world: "/deliberation/elevators/new/",
            _register,
            shown_on=_new,
            query=("place", "q", "within"),
        ),
        "deliberation/elevators/<int:pk>/": page("demo-shequ", _url()),
        "deliberation/elevators/<int:pk>/survey/": action(
            "record_survey", lambda world: {"asked": "8", "in_favour": "6", "note": "入户征询"}
        ),
        "deliberation/elevators/<int:pk>/advance/": action(
            "advance_project", lambda world: {"note": ""}
        ),
        "deliberation/elevators/<int:pk>/vote/": action(
            "call_project_vote", lambda world: {"opens_on": "2030-01-20", "closes_on": "2030-01-30"}
        ),
        "deliberation/elevators/<int:pk>/affected/": action(
            "name_affected_owner",
            lambda world: {"household": str(world.household("H-B01-101").pk), "how": "占用花园"},
        ),
        "deliberation/elevators/<int:pk>/consent/": action(
            "record_consent", lambda world: {"signer": "0-0", "given": "yes", "note": ""}
        ),
        "deliberation/elevators/<int:pk>/costs/": action(
            "agree_costs", lambda world: {"total": "100.00", "weight_1": "1"}
        ),
        "deliberation/elevators/<int:pk>/object/": action(
            "file_objection", lambda world: {"text": "挡光", "name": ""}, user="demo-resident"
        ),
        "deliberation/elevators/<int:pk>/settle/": action(
            "settle_objection", lambda world: {"objection": "0", "note": "已调解"}
        ),
        "deliberation/elevators/<int:pk>/stop/": action(
            "stop_project", lambda world: {"reason": "业主撤回申请"}
        ),
    }
