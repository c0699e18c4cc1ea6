"""GET /api/v1/stats/register: the workbook of a place and period, 202 with the export when large,
404 for a place outside the caller's figures exactly as for a missing one."""

from __future__ import annotations

import pytest

from shuren.accounts.models import ApiToken
from shuren.audit.models import AuditEntry
from shuren.insights.models.exports import ExportFile, ExportStatus
from shuren.insights.tests.register_support import END, START, known_matters, register_lines

pytestmark = pytest.mark.django_db


def get(client, world, username, place, **params):
    _token, raw = ApiToken.issue(user=world.user(username), name="test")
    query = {"place": place, "start": START, "end": END, **params}
    return client.get("/api/v1/stats/register", query, headers={"Authorization": f"Bearer {raw}"})


def test_the_api_answers_the_masked_workbook(client, world):
    matters = known_matters(world)
    response = get(client, world, "demo-shequ", world.place("GC-JD").pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    lines = register_lines(response.content)
    assert [line[0] for line in lines] == [
        matters["settled"].number,
        matters["disputed"].number,
        matters["called"].number,
    ]
    assert lines[0][2] == "王*英 138****5678"
    assert AuditEntry.objects.get(kind="export").actor_username == "demo-shequ"


def test_a_place_outside_ones_figures_is_a_404_like_a_missing_one(client, world):
    known_matters(world)
    other = get(client, world, "demo-shequ2", world.place("GC-JD").pk)
    missing = get(client, world, "demo-shequ2", 987_654_321)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert not AuditEntry.objects.filter(kind="export").exists()


def test_a_resident_reads_no_register_even_of_their_own_building(client, world):
    response = get(client, world, "demo-resident", world.place("GC-JD-JYLW-B01").pk)
    assert response.status_code == 404


def test_days_the_wrong_way_round_are_a_422_in_chinese(client, world):
    response = get(client, world, "demo-shequ", world.place("GC-JD").pk, start=END, end=START)
    assert response.status_code == 422
    assert response.json()["message"] == "起始日期晚于截止日期。"


def test_a_period_longer_than_the_figures_count_is_a_422_in_chinese(client, world):
    place = world.place("GC-JD").pk
    response = get(client, world, "demo-shequ", place, start="2000-01-01", end="2035-01-01")
    assert response.status_code == 422
    assert response.json()["message"] == "期间不能超过三十年。"


def test_a_large_register_answers_202_with_the_export_being_built(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.SHUREN_REGISTER_SYNC_LIMIT = 2
    known_matters(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = get(client, world, "demo-shequ", world.place("GC-JD").pk)
    assert response.status_code == 202
    export = ExportFile.objects.get()
    assert response.json() == {
        "id": export.pk,
        "status": ExportStatus.QUEUED,
        "rows": 3,
        "files": "/insights/register/files/",
    }
    assert len(callbacks) == 1  # the task, enqueued once the export is committed
