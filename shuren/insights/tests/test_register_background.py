"""A large case register is built in the background: the request queues it, the task worker
(django-tasks' database backend, as `make demo` runs it) builds it as its owner and marks it
ready through an action, the owner is told with a link, and only the owner can download it.
The tasks run in the test by calling the task function the queued row names."""

from __future__ import annotations

import io

import pytest
from django_tasks_db.models import DBTaskResult

from shuren.audit.models import AuditEntry
from shuren.insights.models.exports import ExportFile, ExportStatus
from shuren.insights.register.tasks import build_register_file
from shuren.insights.tests.register_support import END, START, known_matters, register_lines
from shuren.kernel.models import Event
from shuren.notify.models import Notification
from shuren.testing import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.SHUREN_REGISTER_SYNC_LIMIT = 2


def ask(client, world, django_capture_on_commit_callbacks, username="demo-shequ", **extra):
    client.force_login(world.user(username))
    data = {"place": world.place("GC-JD").pk, "start": START, "end": END, **extra}
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/insights/register/", data)


def run_worker() -> None:
    """What the worker does with each enqueued task (its command closes the test's connection)."""
    for queued in DBTaskResult.objects.all():
        task = queued.task_result.task
        task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])


def test_a_register_past_the_limit_is_queued_and_its_task_enqueued(
    client, world, small_limit, django_capture_on_commit_callbacks
):
    known_matters(world)
    response = ask(client, world, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/insights/register/files/"
    export = ExportFile.objects.get()
    assert (export.owner.username, export.status, export.unmasked) == (
        "demo-shequ",
        ExportStatus.QUEUED,
        False,
    )
    task = DBTaskResult.objects.get()
    assert task.task_path == "shuren.insights.register.tasks.build_register_file"
    assert task.args_kwargs["args"] == [export.pk]
    assert Event.objects.filter(kind="register.queued", subject_id=export.pk).exists()
    # Nothing is exported until the file is built.
    assert not AuditEntry.objects.filter(kind="export").exists()


def test_the_worker_builds_it_and_the_owner_is_told_with_a_link_to_download_it(
    client, world, small_limit, django_capture_on_commit_callbacks
):
    matters = known_matters(world)
    ask(client, world, django_capture_on_commit_callbacks)
    run_worker()
    export = ExportFile.objects.get()
    assert export.status == ExportStatus.READY
    assert export.rows == 3
    assert export.file.startswith("private/register/")
    assert export.expires_at is not None
    assert export.finished_at is not None
    assert [e.kind for e in Event.objects.filter(subject_id=export.pk).order_by("pk")] == [
        "register.queued",
        "register.started",
        "register.ready",
    ]
    entry = AuditEntry.objects.get(kind="export")
    assert (entry.actor_username, entry.detail["export"]) == ("demo-shequ", export.pk)

    deliver()
    note = Notification.objects.get(recipient__username="demo-shequ")
    assert note.title == "尖东社区的事项台账已生成"
    assert "共 3 件事项" in note.body
    assert note.link == f"/insights/register/files/{export.pk}/download/"

    response = client.get(note.link)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    content = b"".join(response.streaming_content)
    numbers = [line[0] for line in register_lines(content)]
    assert numbers == [
        m.number for m in (matters["settled"], matters["disputed"], matters["called"])
    ]

    files = client.get("/insights/register/files/").content.decode()
    assert "已生成" in files
    assert note.link in files


def test_nobody_else_can_download_it(
    client, world, small_limit, django_capture_on_commit_callbacks
):
    known_matters(world)
    ask(client, world, django_capture_on_commit_callbacks)
    export = ExportFile.objects.get()
    build_register_file.call(export.pk)
    url = f"/insights/register/files/{export.pk}/download/"
    for username in ("demo-jiedao", "demo-shequ2", "demo-wangge", "demo-auditor"):
        client.force_login(world.user(username))
        assert client.get(url).status_code == 404
        assert url not in client.get("/insights/register/files/").content.decode()


def test_a_file_not_ready_or_expired_is_not_served(
    client, world, small_limit, django_capture_on_commit_callbacks
):
    known_matters(world)
    ask(client, world, django_capture_on_commit_callbacks)
    export = ExportFile.objects.get()
    url = f"/insights/register/files/{export.pk}/download/"
    assert client.get(url).status_code == 404  # still queued
    build_register_file.call(export.pk)
    assert client.get(url).status_code == 200
    export.refresh_from_db()
    ExportFile.objects.filter(pk=export.pk).update(expires_at=export.finished_at)
    assert client.get(url).status_code == 404


def test_an_unmasked_large_register_is_logged_when_it_is_built(
    client, world, small_limit, django_capture_on_commit_callbacks
):
    from shuren.access.models import AccessLog

    known_matters(world)
    ask(client, world, django_capture_on_commit_callbacks, unmask="on", reason="核对回访")
    assert not AccessLog.objects.exists()
    build_register_file.call(ExportFile.objects.get().pk)
    log = AccessLog.objects.get()
    assert (log.username, log.object_type, log.count, log.reason) == (
        "demo-shequ",
        "case",
        3,
        "核对回访",
    )


def test_a_post_ended_before_the_task_ran_exports_nothing_and_the_owner_is_told(
    client, world, small_limit, django_capture_on_commit_callbacks
):
    from shuren.access.context import forget
    from shuren.people.models import Post

    known_matters(world)
    ask(client, world, django_capture_on_commit_callbacks)
    export = ExportFile.objects.get()
    Post.objects.filter(person__code="P-SQ").delete()
    owner = world.user("demo-shequ")
    forget(owner)
    build_register_file.call(export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert not export.file
    assert not AuditEntry.objects.filter(kind="export").exists()
    deliver()
    note = Notification.objects.get(recipient__username="demo-shequ")
    assert note.title == "尖东社区的事项台账未能生成"


def test_a_file_past_its_keeping_date_is_deleted_and_the_record_stays(
    client, world, small_limit, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    known_matters(world)
    ask(client, world, django_capture_on_commit_callbacks)
    export = ExportFile.objects.get()
    build_register_file.call(export.pk)
    export.refresh_from_db()
    name = export.file
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purgeexports", stdout=io.StringIO())
    assert default_storage.exists(name)  # not yet expired
    ExportFile.objects.filter(pk=export.pk).update(expires_at=export.finished_at)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purgeexports", stdout=io.StringIO())
    export.refresh_from_db()
    assert export.file == ""
    assert not default_storage.exists(name)
    assert Event.objects.filter(kind="register.removed", subject_id=export.pk).exists()
