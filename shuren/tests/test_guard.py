"""The write guard fails a test when a face writes a model without an action, and only then."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import update_last_login
from django.test import RequestFactory

from shuren.places.actions import rename_place
from shuren.places.models import Household, Place
from shuren.tests.guard import ACTION, FACE, NEITHER, FaceWroteDirectly, classify


def face(source: str, module: str = "shuren.places.views") -> Any:
    """A tiny function that runs as if written in a view module (its globals name the module)."""
    namespace: dict[str, Any] = {
        "__name__": module,
        "Place": Place,
        "Household": Household,
        "rename_place": rename_place,
    }
    exec(compile(source, f"<{module}>", "exec"), namespace)  # noqa: S102 - a fixed test source
    return namespace["probe"]


@pytest.fixture
def provoked(write_guard):
    """What the guard caught in this test is expected: it must not fail the test afterwards."""
    yield write_guard.violations
    write_guard.violations.clear()


@pytest.mark.parametrize(
    ("module", "kind"),
    [
        ("shuren.places.admin", FACE),
        ("shuren.people.views", FACE),
        ("shuren.places.views_excel", FACE),
        ("shuren.cases.web.case_views", FACE),
        ("shuren.web.views", FACE),
        ("shuren.api.cases", FACE),
        ("shuren.places.actions", ACTION),
        ("shuren.cases.workflow.actions", ACTION),
        ("shuren.places.excel.actions", ACTION),
        ("shuren.cases.intake.report", ACTION),  # offered by cases/actions.py's __all__
        ("shuren.cases.workflow.upkeep", ACTION),
        ("shuren.kernel.action", ACTION),
        ("shuren.kernel.rows", ACTION),
        ("shuren.kernel.admin", FACE),
        ("shuren.places.models", NEITHER),
        ("shuren.testing", NEITHER),
        ("shuren.web.tests.test_home", NEITHER),
        ("django.contrib.admin.options", NEITHER),
    ],
)
def test_modules_are_faces_actions_or_neither(module, kind):
    assert classify(module) == kind


def test_a_view_that_saves_a_model_itself_fails(world, provoked):
    probe = face(
        "def probe(place):\n    place.name = 'x'\n    place.save(update_fields=['name'])\n"
    )
    with pytest.raises(FaceWroteDirectly, match=r"places\.Place written from the face"):
        probe(world.place("GC-JD-JYLW-B01"))
    assert len(provoked) == 1
    assert world.place("GC-JD-JYLW-B01").name == "1栋"


@pytest.mark.parametrize(
    "body",
    [
        "Place.objects.filter(pk=place.pk).update(name='x')",
        "Household.objects.filter(place=place).delete()",
        "Household.objects.get(code='H-B01-101').owners.clear()",
    ],
)
def test_updates_deletes_and_owner_changes_from_a_view_fail_too(world, provoked, body):
    probe = face(f"def probe(place):\n    {body}\n")
    with pytest.raises(FaceWroteDirectly):
        probe(world.place("GC-JD-JYLW-B01-U1"))


def test_the_guard_fails_the_test_even_when_the_face_swallows_the_error(world, write_guard):
    probe = face(
        "def probe(place):\n    try:\n        place.save()\n    except Exception:\n        pass\n"
    )
    probe(world.place("GC-JD-JYLW-B01"))
    assert len(write_guard.violations) == 1  # the fixture would fail the test on teardown
    write_guard.violations.clear()


def test_a_view_that_calls_an_action_passes(world, provoked):
    probe = face(
        "def probe(place):\n    return rename_place(actor=None, place=place, name='一栋')\n"
    )
    assert probe(world.place("GC-JD-JYLW-B01")).name == "一栋"
    assert provoked == []


def test_djangos_default_save_model_on_a_project_admin_fails(world, provoked):
    """A ModelAdmin left with Django's save_model: the Django frame runs on a face's class."""
    bare = type("BareAdmin", (admin.ModelAdmin,), {"__module__": "shuren.places.admin"})
    place = world.place("GC-JD-JYLW-B01")
    place.name = "x"
    request = RequestFactory().post("/")
    with pytest.raises(FaceWroteDirectly, match="save_model"):
        bare(Place, admin.site).save_model(request, place, None, True)


def test_a_login_from_a_face_is_bookkeeping_not_a_change(world, provoked):
    probe = face(
        "def probe(user):\n    update_last_login(None, user)\n",
        "shuren.accounts.views",
    )
    probe.__globals__["update_last_login"] = update_last_login
    probe(world.user("demo-shequ"))
    assert provoked == []


def test_the_same_field_written_by_the_face_itself_is_not(world, provoked):
    probe = face(
        "def probe(user):\n    user.save(update_fields=['last_login'])\n", "shuren.accounts.views"
    )
    with pytest.raises(FaceWroteDirectly):
        probe(world.user("demo-shequ"))


def test_tests_and_fixtures_write_directly(world):
    place = world.place("GC-JD-JYLW-B01")
    place.name = "测试"
    place.save(update_fields=["name"])
    assert world.place("GC-JD-JYLW-B01").name == "测试"
