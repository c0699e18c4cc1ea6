"""In-app notifications: the outbox worker writes one per recipient, in their language, once."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from shuren.kernel.models import Event, Outbox
from shuren.kernel.outbox import Tell, publish
from shuren.notify.actions import mark_read
from shuren.notify.messages import UnknownMessage, message, render
from shuren.notify.models import Notification
from shuren.testing import deliver


@message("test.greeting", label="a test greeting")
def _greeting(params):
    # "Reported" has a Chinese translation in the project's catalogue.
    return f"{params['number']} {_('Reported')}", params.get("body", "")


def tell(world, *usernames: str, kind: str = "test.greeting", actor=None) -> Outbox:
    """An outbox row about a place, as an action would write it."""
    place = world.place("GC-JD-JYLW-B01")
    event = Event.objects.create(subject_type="places.place", subject_id=place.pk, kind="k")
    users = [world.user(name) for name in usernames]
    return publish(
        subject=place,
        event=event,
        tell=Tell.users(kind, users, actor=actor, number="GC-1", body="b", link="/places/1/"),
    )


def test_each_recipient_gets_one_notification_in_their_own_language(world):
    wangge = world.user("demo-wangge")
    wangge.language = "en"
    wangge.save(update_fields=["language"])
    row = tell(world, "demo-shequ", "demo-wangge", "demo-shequ")
    assert deliver() == 1
    titles = dict(Notification.objects.values_list("recipient__username", "title"))
    assert titles == {"demo-shequ": "GC-1 待受理", "demo-wangge": "GC-1 Reported"}
    note = Notification.objects.get(recipient__username="demo-shequ")
    assert (note.kind, note.object_id, note.link, note.body, note.outbox_id) == (
        "test.greeting",
        str(row.subject_id),
        "/places/1/",
        "b",
        row.pk,
    )
    assert note.read_at is None
    assert note.delivered_at is not None  # the in-app channel is the row itself


def test_the_one_who_acted_is_not_told(world):
    tell(world, "demo-shequ", "demo-wangge", actor=world.user("demo-shequ"))
    deliver()
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "demo-wangge"
    }


def test_a_user_deactivated_before_delivery_is_skipped(world):
    tell(world, "demo-shequ", "demo-wangge")
    world.user("demo-wangge").__class__.objects.filter(username="demo-wangge").update(
        is_active=False
    )
    deliver()
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == [
        "demo-shequ"
    ]


def test_nobody_to_tell_writes_nothing_but_the_row_is_processed(world):
    row = tell(world)
    assert deliver() == 1
    row.refresh_from_db()
    assert row.processed_at is not None
    assert not Notification.objects.exists()


def test_running_the_worker_again_writes_nothing_more(world):
    tell(world, "demo-shequ")
    assert deliver() == 1
    assert deliver() == 0
    assert Notification.objects.count() == 1


def test_a_second_copy_for_the_same_row_and_recipient_is_impossible(world):
    row = tell(world, "demo-shequ")
    deliver()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=world.user("demo-shequ"), kind="k", title="t", outbox=row
        )


def test_an_unknown_kind_is_an_error_for_the_administrator_not_a_lost_message(world):
    row = tell(world, "demo-shequ", kind="test.unknown")
    assert deliver() == 0
    row.refresh_from_db()
    assert row.processed_at is None
    assert row.attempts == 1
    assert "UnknownMessage" in row.error
    assert not Notification.objects.exists()
    with pytest.raises(UnknownMessage):
        render("test.unknown", {})


def test_a_kind_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="registered twice"):
        message("test.greeting")(lambda params: ("", ""))


class TestRead:
    def test_only_the_recipient_sees_and_marks_them(self, world):
        shequ, wangge = world.user("demo-shequ"), world.user("demo-wangge")
        tell(world, "demo-shequ", "demo-wangge")
        deliver()
        assert Notification.objects.visible_to(shequ).count() == 1
        assert mark_read(user=shequ) == 1
        assert Notification.objects.visible_to(shequ).unread().count() == 0
        assert Notification.objects.visible_to(wangge).unread().count() == 1

    def test_mark_some_read(self, world):
        shequ = world.user("demo-shequ")
        tell(world, "demo-shequ")
        tell(world, "demo-shequ")
        deliver()
        first, second = Notification.objects.order_by("pk")
        assert mark_read(user=shequ, notification_ids=[first.pk]) == 1
        assert list(Notification.objects.unread()) == [second]

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
