"""An import is one bulk action: one event with the counts, on the lowest place holding every
place the file names; an import that changes nothing, a dry run or a refused file leaves none."""

from __future__ import annotations

from shuren.kernel.models import Event, Outbox
from shuren.places.tests.test_excel_import import masked, new_estate, run


def imports() -> list[Event]:
    return list(Event.objects.filter(kind="places.imported"))


def test_an_import_writes_one_event_with_its_counts_on_the_community(world):
    before = Event.objects.count(), Outbox.objects.count()
    report = run(world, "demo-shequ", new_estate())
    assert report.ok
    assert (Event.objects.count(), Outbox.objects.count()) == (before[0] + 1, before[1] + 1)
    [event] = imports()
    # The file names the new estate 新苑 under 尖东 (its parent): 尖东 holds everything.
    assert (event.subject_type, event.subject_id) == ("places.place", world.place("GC-JD").pk)
    assert event.actor == world.user("demo-shequ")
    assert event.data["places"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert event.data["households"]["created"] == 2
    assert event.data["residents"]["created"] == 3


def test_moves_in_an_import_are_part_of_its_one_event(world):
    rows = {
        "places": [
            {"code": "GC-JD-JYLW-B02", "kind": "楼栋", "name": "2栋", "parent_code": "GC-JD-JDXC"}
        ]
    }
    run(world, "demo-shequ", rows)
    assert [e.kind for e in Event.objects.all()] == ["places.imported"]
    assert imports()[0].subject_id == world.place("GC-JD").pk


def test_importing_the_same_file_again_records_nothing_new(world):
    run(world, "demo-shequ", new_estate())
    run(world, "demo-shequ", masked(new_estate()))  # full numbers would count as updates
    assert len(imports()) == 1


def test_a_dry_run_or_a_refused_file_records_nothing(world):
    run(world, "demo-shequ", new_estate(), dry_run=True)
    rows = new_estate()
    rows["households"][0]["room"] = ""
    assert not run(world, "demo-shequ", rows).ok
    assert imports() == []
    assert not Outbox.objects.exists()
