"""The kernel runs every action the same way: locked, authorized, version-checked, atomic, with
exactly one event and one outbox row."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from shuren.kernel.action import ActionMisused, change, create, required
from shuren.kernel.models import Event, Outbox
from shuren.kernel.outbox import Tell
from shuren.kernel.versions import StaleVersion
from shuren.places.models import Place

B1 = "GC-JD-JYLW-B01"
# Community staff of 尖东 may change places there; a building leader may not (access/rules.py).
EDITOR, LEADER = "demo-shequ", "demo-louzhang"


def rename(world, username: str | None, name: str, *, version: int | None = None, **kw):
    """A small action written on the kernel, as a capability would write one."""
    place = world.place(B1)
    actor = world.user(username) if username else None
    with change(
        Place.objects, place.pk, actor=actor, perm="places.change_place", expected_version=version
    ) as act:
        act.subject.name = name
        act.save(["name"])
        if kw.get("record", True):
            act.record_change(
                "place.renamed",
                data={"name": name},
                tell=Tell.users("test.renamed", [world.user(EDITOR)], actor=actor),
            )
        if kw.get("fail_after"):
            raise ValidationError("after the record")
        if kw.get("twice"):
            act.record_change("place.renamed")
        return act.subject


def written() -> tuple[int, int]:
    return Event.objects.count(), Outbox.objects.count()


def test_an_action_saves_bumps_the_version_and_writes_one_event_and_one_outbox_row(world):
    before = world.place(B1).version
    place = rename(world, EDITOR, "1栋（新名）")
    assert place.version == before + 1
    assert Place.objects.get(pk=place.pk).name == "1栋（新名）"
    event = Event.objects.get()
    assert (event.subject_type, event.subject_id, event.kind, event.actor.username) == (
        "places.place",
        place.pk,
        "place.renamed",
        EDITOR,
    )
    row = Outbox.objects.get()
    assert (row.subject_type, row.subject_id, row.event_type, row.event_id) == (
        "places.place",
        place.pk,
        "kernel.event",
        event.pk,
    )
    assert row.kind == "test.renamed"
    assert row.recipients == []  # the only one to tell acted themself
    assert row.processed_at is None  # the worker has not run yet


def test_a_stale_version_is_refused_and_writes_nothing(world):
    current = world.place(B1).version
    with pytest.raises(StaleVersion):
        rename(world, EDITOR, "x", version=current - 1 if current > 1 else current + 1)
    assert written() == (0, 0)
    assert Place.objects.get(code=B1).name != "x"


def test_the_permission_is_checked_on_the_locked_row(world):
    with pytest.raises(PermissionDenied):
        rename(world, LEADER, "x")
    assert written() == (0, 0)


def test_the_system_acts_without_a_user(world):
    rename(world, None, "1栋")
    assert Event.objects.get().actor is None


def test_leaving_without_an_event_is_a_programming_error_and_rolls_back(world):
    with pytest.raises(ActionMisused):
        rename(world, EDITOR, "x", record=False)
    assert Place.objects.get(code=B1).name != "x"
    assert written() == (0, 0)


def test_two_events_are_a_programming_error(world):
    with pytest.raises(ActionMisused):
        rename(world, EDITOR, "x", twice=True)
    assert written() == (0, 0)


def test_a_failure_after_the_record_takes_the_event_and_the_outbox_row_back(world):
    with pytest.raises(ValidationError):
        rename(world, EDITOR, "x", fail_after=True)
    assert written() == (0, 0)
    assert Place.objects.get(code=B1).name != "x"


def test_an_action_that_changes_nothing_says_so_and_writes_nothing(world):
    place = world.place(B1)
    with change(Place.objects, place.pk, actor=None, perm="places.change_place") as act:
        act.unchanged()
    assert written() == (0, 0)


def test_a_missing_row_is_does_not_exist(world):
    with (
        pytest.raises(Place.DoesNotExist),
        change(Place.objects, 987_654_321, actor=None, perm="places.change_place"),
    ):
        pass


def test_create_authorizes_on_the_parent_and_records_the_new_subject(world):
    building = world.place(B1)
    with create(actor=world.user(EDITOR), perm="places.change_place", on=building) as act:
        act.created(building)  # a real action would have inserted its subject here
        event = act.record_change("place.created")
    assert Outbox.objects.get().event_id == event.pk
    with (
        pytest.raises(PermissionDenied),
        create(actor=world.user(LEADER), perm="places.change_place", on=building),
    ):
        pass


def test_required_text_is_stripped_or_refused():
    assert required("  理由  ", "m") == "理由"
    with pytest.raises(ValidationError, match="写明理由"):
        required("   ", "写明理由")
