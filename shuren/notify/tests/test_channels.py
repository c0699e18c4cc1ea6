"""E-mail and WeCom group robots: preferences, one row per delivery claimed once, backoff, the
robot's documented format and 20-a-minute limit, against a local fake robot server."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from shuren.kernel.models import Event, Outbox
from shuren.kernel.outbox import Tell, publish
from shuren.notify import delivery
from shuren.notify.actions import rerun_deliveries, set_preferences, set_team_robot
from shuren.notify.messages import message
from shuren.notify.models import Channel, Delivery, DeliveryStatus, TeamRobot
from shuren.notify.tests.fake_wecom import FakeRobot, problems
from shuren.people.models import Membership, Team
from shuren.testing import deliver

NOON = dt.datetime(2026, 3, 2, 4, 0, tzinfo=dt.UTC)  # 12:00 in Shanghai


@message("test.channel", label="a test of the channels")
def _channel_words(params):
    # What people typed may hold a phone number: the channels carry it masked.
    return f"新报事 {params['number']} 联系 13812345678", "描述 440602195803031231"


@pytest.fixture
def robot_server(settings):
    with FakeRobot() as fake:
        settings.WECOM_WEBHOOK_PREFIXES = (fake.prefix,)
        settings.WECOM_TIMEOUT = 0.5
        settings.SITE_URL = "https://shuren.example"
        yield fake


@pytest.fixture
def leaders(world):
    """金域蓝湾楼长队 with 刘楼长 (demo-louzhang) as a member."""
    team = Team.objects.get(code="T-JYLW-LZ")
    Membership.objects.create(team=team, person=world.user("demo-louzhang").person)
    return team


def tell(world, *usernames: str, number: str = "GC-1") -> Outbox:
    place = world.place("GC-JD-JYLW-B01")
    event = Event.objects.create(subject_type="places.place", subject_id=place.pk, kind="k")
    users = [world.user(u) for u in usernames]
    return publish(
        subject=place,
        event=event,
        tell=Tell.users("test.channel", users, number=number, link="/cases/7/"),
    )


def wants_email(world, username: str, **more):
    user = world.user(username)
    user.email = f"{username}@example.com"
    user.save(update_fields=["email"])
    return set_preferences(actor=user, user=user, by_email=True, **more)


def connect(world, team, fake) -> TeamRobot:
    return set_team_robot(actor=world.user("demo-shequ"), team=team, webhook=fake.webhook)


# --- Preferences ----------------------------------------------------------------------------


def test_only_those_who_asked_for_email_get_one_and_it_is_masked(world, mailoutbox, settings):
    settings.SITE_URL = "https://shuren.example"
    wants_email(world, "demo-shequ")
    tell(world, "demo-shequ", "demo-wangge")
    deliver()
    (row,) = Delivery.objects.all()
    assert (row.channel, row.recipient.username) == (Channel.EMAIL, "demo-shequ")
    assert delivery.send_one(row.pk) == "sent"
    (mail,) = mailoutbox
    assert mail.to == ["demo-shequ@example.com"]
    assert "https://shuren.example/cases/7/" in mail.body
    assert "13812345678" not in mail.subject + mail.body
    assert "440602195803031231" not in mail.body
    assert "138****5678" in mail.subject


def test_a_muted_kind_reaches_the_person_only_in_the_app(world):
    wants_email(world, "demo-shequ", muted_kinds=["test.channel"])
    tell(world, "demo-shequ")
    deliver()
    assert not Delivery.objects.exists()


def test_an_email_in_quiet_hours_waits_until_they_end(world, mailoutbox):
    wants_email(world, "demo-shequ", quiet_from=dt.time(22, 0), quiet_until=dt.time(7, 0))
    night = dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC)  # 23:30 in Shanghai
    assert delivery.quiet_until(world.user("demo-shequ").notify_preference, night) == (
        dt.datetime(2026, 3, 2, 23, 0, tzinfo=dt.UTC)  # 07:00 the next morning
    )
    assert delivery.quiet_until(world.user("demo-shequ").notify_preference, NOON) is None


def test_quiet_hours_need_both_ends_and_email_needs_an_address(world):
    user = world.user("demo-wangge")
    with pytest.raises(ValidationError, match="开始"):
        set_preferences(actor=user, user=user, quiet_from=dt.time(22, 0))
    with pytest.raises(ValidationError):
        set_preferences(actor=user, user=user, by_email=True)


def test_nobody_sets_another_persons_preferences(world):
    with pytest.raises(PermissionDenied):
        set_preferences(actor=world.user("demo-shequ"), user=world.user("demo-wangge"))


# --- The team's robot ------------------------------------------------------------------------


def test_the_webhook_is_stored_sealed_and_set_only_by_who_keeps_the_team(
    world, leaders, robot_server
):
    robot = connect(world, leaders, robot_server)
    with connection.cursor() as cursor:
        cursor.execute("SELECT webhook FROM notify_teamrobot WHERE id = %s", [robot.pk])
        (raw,) = cursor.fetchone()
    assert "test-key" not in raw
    assert TeamRobot.objects.get().webhook == robot_server.webhook
    with pytest.raises(PermissionDenied):
        set_team_robot(actor=world.user("demo-louzhang"), team=leaders, webhook="")
    with pytest.raises(ValidationError):
        set_team_robot(
            actor=world.user("demo-shequ"), team=leaders, webhook="http://10.0.0.1/?key=x"
        )


def test_a_single_notice_is_a_text_message_that_mentions_by_mobile(world, leaders, robot_server):
    connect(world, leaders, robot_server)
    louzhang = world.user("demo-louzhang")
    set_preferences(actor=louzhang, user=louzhang, wecom_mention=True)
    tell(world, "demo-louzhang")
    deliver()
    (row,) = Delivery.objects.filter(channel=Channel.WECOM)
    assert delivery.send_one(row.pk) == "sent"
    (payload,) = robot_server.received
    assert payload["msgtype"] == "text"
    assert payload["text"]["mentioned_mobile_list"] == ["13100000001"]
    content = payload["text"]["content"]
    assert "https://shuren.example/cases/7/" in content
    assert "13812345678" not in content
    assert "13100000001" not in content
    assert robot_server.refused == []
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_a_burst_becomes_one_markdown_digest(world, leaders, robot_server):
    connect(world, leaders, robot_server)
    for n in range(30):
        tell(world, "demo-louzhang", number=f"GC-{n}")
    deliver()
    assert delivery.send_due(now=NOON) == 30
    kinds = {payload["msgtype"] for payload in robot_server.received}
    assert kinds == {"markdown"}
    assert len(robot_server.received) <= 3  # as many as 4096 bytes a message need, not 30
    together = "".join(p["markdown"]["content"] for p in robot_server.received)
    assert together.count("https://shuren.example/cases/7/") == 30
    assert "13812345678" not in together
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == 30
    assert robot_server.refused == []


def test_the_robot_never_sends_more_than_twenty_messages_a_minute(world, leaders, robot_server):
    connect(world, leaders, robot_server)
    for n in range(22):
        tell(world, "demo-louzhang", number=f"GC-{n}")
    deliver()
    answers = []
    for row in Delivery.objects.order_by("pk"):
        # One at a time, as 22 workers taking one row each at the same noon would.
        Delivery.objects.exclude(pk=row.pk).filter(status=DeliveryStatus.PENDING).update(
            not_before=NOON + dt.timedelta(hours=1)
        )
        answers.append(delivery.send_one(row.pk, now=NOON))
        Delivery.objects.filter(status=DeliveryStatus.PENDING).update(not_before=None)
    assert answers == ["sent"] * 20 + ["later", "later"]
    assert len(robot_server.received) == 20
    waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    assert waiting.count() == 2
    assert {d.attempts for d in waiting} == {0}  # waiting for the minute is not a failure
    assert delivery.send_due(now=NOON + dt.timedelta(seconds=61)) == 2
    assert len(robot_server.received) == 21  # the two went as one digest
    assert robot_server.received[-1]["msgtype"] == "markdown"


@pytest.mark.parametrize("answer", ["45009", "500", "timeout"])
def test_a_failing_robot_is_retried_with_backoff_then_given_up_and_rerun(
    world, leaders, robot_server, answer
):
    connect(world, leaders, robot_server)
    tell(world, "demo-louzhang")
    deliver()
    (row,) = Delivery.objects.all()
    robot_server.answer = answer
    at = NOON
    for attempt in range(1, delivery.MAX_ATTEMPTS + 1):
        assert delivery.send_one(row.pk, now=at) == "failed"
        row.refresh_from_db()
        assert row.attempts == attempt
        if attempt < delivery.MAX_ATTEMPTS:
            assert row.status == DeliveryStatus.PENDING
            assert row.not_before == at + delivery.BACKOFF[attempt - 1]
            assert delivery.send_one(row.pk, now=at) == "taken"  # not due yet
            at = row.not_before
    assert row.status == DeliveryStatus.GIVEN_UP
    assert row.error
    assert "test-key" not in row.error
    robot_server.answer = "ok"
    assert rerun_deliveries(pks=[row.pk]) == 1
    assert delivery.send_one(row.pk, now=at) == "sent"
    assert robot_server.refused == []


def test_an_invalid_key_is_given_up_at_once(world, leaders, robot_server):
    connect(world, leaders, robot_server)
    tell(world, "demo-louzhang")
    deliver()
    robot_server.answer = "93000"
    (row,) = Delivery.objects.all()
    assert delivery.send_one(row.pk) == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.GIVEN_UP, 1)


def test_a_robot_that_is_down_delays_no_email_and_loses_nothing(
    world, leaders, robot_server, mailoutbox
):
    connect(world, leaders, robot_server)
    wants_email(world, "demo-louzhang")
    tell(world, "demo-louzhang")
    deliver()
    robot_server.answer = "timeout"
    assert delivery.send_due(now=NOON) == 2
    assert len(mailoutbox) == 1
    wecom_row = Delivery.objects.get(channel=Channel.WECOM)
    assert (wecom_row.status, wecom_row.attempts) == (DeliveryStatus.PENDING, 1)
    robot_server.answer = "ok"
    delivery.send_due(now=NOON + dt.timedelta(minutes=1))
    wecom_row.refresh_from_db()
    assert wecom_row.status == DeliveryStatus.SENT
    assert len(mailoutbox) == 1  # the e-mail went once


def test_a_delivery_is_claimed_once(world, leaders, robot_server):
    connect(world, leaders, robot_server)
    tell(world, "demo-louzhang")
    deliver()
    (row,) = Delivery.objects.all()
    now = timezone.now()
    assert [d.pk for d in delivery.claim([row.pk], now)] == [row.pk]
    assert delivery.claim([row.pk], now) == []  # a second worker gets nothing
    assert delivery.send_one(row.pk, now=now) == "taken"
    # A claim abandoned by a worker that died is taken again after a while.
    later = now + delivery.STALE_CLAIM + dt.timedelta(seconds=1)
    assert delivery.send_one(row.pk, now=later) == "sent"
    assert len(robot_server.received) == 1


def test_deliveries_are_enqueued_as_tasks_after_the_commit(
    world, leaders, robot_server, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    connect(world, leaders, robot_server)
    tell(world, "demo-louzhang")
    with django_capture_on_commit_callbacks(execute=True):
        deliver()
    (row,) = Delivery.objects.all()
    (task,) = DBTaskResult.objects.all()
    assert task.args_kwargs["args"] == [row.pk]


def test_the_fake_robot_refuses_what_wecom_would():
    assert problems({"msgtype": "markdown", "markdown": {"content": "x", "mentioned_list": []}})
    assert problems({"msgtype": "text", "text": {"content": "x" * 2049}})
    assert problems({"msgtype": "text", "text": {"content": "x", "mentioned_mobile_list": ["1"]}})
    assert problems({"msgtype": "text", "text": {"content": "x"}}) == []


def test_the_administrator_sees_given_up_deliveries_and_runs_them_again(
    world, leaders, robot_server, client
):
    connect(world, leaders, robot_server)
    tell(world, "demo-louzhang")
    deliver()
    robot_server.answer = "93000"
    (row,) = Delivery.objects.all()
    delivery.send_one(row.pk)
    client.force_login(world.user("demo-admin"))
    listing = client.get("/admin/notify/delivery/?status=given_up")
    assert listing.status_code == 200
    assert (
        "errcode 93000" in client.get(f"/admin/notify/delivery/{row.pk}/change/").content.decode()
    )
    answer = client.post(
        "/admin/notify/delivery/",
        {"action": "rerun", "_selected_action": [str(row.pk)]},
    )
    assert answer.status_code == 302
    row.refresh_from_db()
    assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 0)


@pytest.mark.parametrize("username", ["demo-shequ", "demo-auditor"])
def test_only_the_administrator_reads_the_deliveries(world, client, username):
    client.force_login(world.user(username))
    assert client.get("/admin/notify/delivery/").status_code in {302, 403}


def test_rotatekeys_moves_the_robots_address_to_the_new_key(world, leaders, robot_server):
    import base64
    import io

    from django.core.management import call_command
    from django.test import override_settings

    from shuren.crypto import key_id_of
    from shuren.crypto_rows import count_by_key, specs_of

    robot = connect(world, leaders, robot_server)
    new_key = base64.b64encode(b"another-TEST-key-for-rotation-01").decode()
    from django.conf import settings

    keys = f"new:{new_key},{settings.SHUREN_FIELD_KEYS}"
    with override_settings(SHUREN_FIELD_KEYS=keys):
        call_command("rotatekeys", stdout=io.StringIO())
        specs = specs_of(TeamRobot)
        assert count_by_key(connection, "notify_teamrobot", specs) == {"new": 1}
        assert TeamRobot.objects.get(pk=robot.pk).webhook == robot_server.webhook
    with connection.cursor() as cursor:
        cursor.execute("SELECT webhook FROM notify_teamrobot WHERE id = %s", [robot.pk])
        assert key_id_of(cursor.fetchone()[0]) == "new"
