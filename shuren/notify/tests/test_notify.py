"""Notifications: one row per recipient in the caller's transaction, its delivery with it."""

from __future__ import annotations

from django.test import override_settings

from shuren.notify.actions import mark_read, notify_users
from shuren.notify.models import Notification
from shuren.notify.tasks import deliver_notifications

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_one_notification_per_distinct_user(world):
    shequ, wangge = world.user("demo-shequ"), world.user("demo-wangge")
    rows = notify_users(
        users=[shequ, wangge, shequ],
        kind="case.escalated",
        title="GC-2026-000001 已上报至社区",
        body="调解不成",
        link="/cases/1/",
        object_id=1,
    )
    assert len(rows) == 2
    note = Notification.objects.get(recipient=shequ)
    assert (note.kind, note.object_id, note.link, note.read_at) == (
        "case.escalated",
        "1",
        "/cases/1/",
        None,
    )


def test_inactive_users_are_skipped(world):
    user = world.user("demo-wangge")
    user.is_active = False
    assert notify_users(users=[user], kind="k", title="t") == []


def test_nobody_to_tell_writes_nothing(db):
    assert notify_users(users=[], kind="k", title="t") == []


@override_settings(TASKS=IMMEDIATE)
def test_a_queue_outside_the_database_gets_the_task_only_after_the_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_users(users=[world.user("demo-shequ")], kind="k", title="t")
    note = Notification.objects.get()
    assert note.delivered_at is None
    assert len(callbacks) == 1
    callbacks[0]()
    note.refresh_from_db()
    assert note.delivered_at is not None


@override_settings(TASKS=IMMEDIATE)
def test_delivering_twice_delivers_once(world):
    notify_users(users=[world.user("demo-shequ")], kind="k", title="t")
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert deliver_notifications.call(ids) == 1
    assert deliver_notifications.call(ids) == 0


def test_the_database_queue_writes_the_task_with_the_rows(
    world, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_users(users=[world.user("demo-shequ")], kind="k", title="t")
    assert callbacks == []  # nothing waits for the commit: the task row is already written
    task = DBTaskResult.objects.get(task_path__endswith="deliver_notifications")
    assert task.args_kwargs["args"] == [list(Notification.objects.values_list("pk", flat=True))]


def test_a_rolled_back_change_leaves_neither_notification_nor_task(world):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        notify_users(users=[world.user("demo-shequ")], kind="k", title="t")
        transaction.set_rollback(True)
    assert not Notification.objects.exists()
    assert not DBTaskResult.objects.exists()


class TestRead:
    def test_only_the_recipient_sees_and_marks_them(self, world):
        shequ, wangge = world.user("demo-shequ"), world.user("demo-wangge")
        notify_users(users=[shequ, wangge], kind="k", title="t")
        assert Notification.objects.visible_to(shequ).count() == 1
        assert mark_read(user=shequ) == 1
        assert Notification.objects.visible_to(shequ).unread().count() == 0
        assert Notification.objects.visible_to(wangge).unread().count() == 1

    def test_mark_some_read(self, world):
        shequ = world.user("demo-shequ")
        first, _second = notify_users(users=[shequ], kind="k", title="1") + notify_users(
            users=[shequ], kind="k", title="2"
        )
        assert mark_read(user=shequ, notification_ids=[first.pk]) == 1
        assert list(Notification.objects.unread().values_list("title", flat=True)) == ["2"]

    def test_anonymous_sees_none(self, db):
        from django.contrib.auth.models import AnonymousUser

        assert not Notification.objects.visible_to(AnonymousUser()).exists()


def test_every_string_has_a_chinese_translation():
    from pathlib import Path

    import polib

    po = polib.pofile(str(Path(__file__).parents[1] / "locale/zh_Hans/LC_MESSAGES/django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert po.find("notifications").msgstr == "消息"
