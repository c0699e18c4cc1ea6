"""A decision's follow-through item turns overdue the day after its deadline in Guicheng, and is
reminded at most once per overdue day (the pure rules, proven over many dates), and the sweep
(`manage.py sweepmeetings`) reminds the owner and the organiser once, however often it runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from shuren.deliberation.actions import complete_decision, record_decision, sweep_overdue
from shuren.deliberation.meetings import followthrough, procedure
from shuren.deliberation.meetings.choices import EventKind, ItemStatus
from shuren.deliberation.models import Decision, MeetingEvent
from shuren.deliberation.tests.meeting_fixtures import START, call_joint_meeting
from shuren.kernel.models import Outbox
from shuren.workdays.calendar import SHANGHAI

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))
statuses = st.sampled_from(ItemStatus.values)


@given(status=statuses, due=dates, today=dates)
def test_an_item_is_overdue_only_while_open_and_after_its_deadline_day(status, due, today):
    assert followthrough.is_overdue(status, due, today) == (
        status == ItemStatus.OPEN and today > due
    )
    days = followthrough.days_overdue(status, due, today)
    assert days >= 0
    assert (days > 0) == followthrough.is_overdue(status, due, today)


@given(status=statuses, due=dates, last=st.none() | dates, today=dates)
def test_a_reminder_is_due_at_most_once_a_day_and_only_when_overdue(status, due, last, today):
    needed = followthrough.needs_reminder(status, due, last, today)
    if needed:
        assert followthrough.is_overdue(status, due, today)
        # Once reminded today, not again today.
        assert not followthrough.needs_reminder(status, due, today, today)
    if not followthrough.is_overdue(status, due, today):
        assert not needed


# Naive bounds: hypothesis draws naive datetimes between them (made aware below).
NAIVE_FROM = dt.datetime(2020, 1, 1)  # noqa: DTZ001
NAIVE_TO = dt.datetime(2035, 1, 1)  # noqa: DTZ001


@given(moment=st.datetimes(min_value=NAIVE_FROM, max_value=NAIVE_TO))
def test_the_day_is_guichengs_whatever_the_zone_of_the_instant(moment):
    aware = moment.replace(tzinfo=dt.UTC)
    assert followthrough.local_day(aware) == (aware + dt.timedelta(hours=8)).date()


def test_due_on_the_tenth_is_on_time_all_day_and_overdue_at_midnight_in_guicheng():
    due = dt.date(2026, 3, 10)
    last_minute = dt.datetime(2026, 3, 10, 23, 59, tzinfo=SHANGHAI)
    midnight = dt.datetime(2026, 3, 11, 0, 0, tzinfo=SHANGHAI)
    assert not followthrough.is_overdue("open", due, followthrough.local_day(last_minute))
    assert followthrough.is_overdue("open", due, followthrough.local_day(midnight))
    # 16:00 UTC on the 10th is already the 11th in Guicheng.
    utc = dt.datetime(2026, 3, 10, 16, 0, tzinfo=dt.UTC)
    assert followthrough.tone("open", due, followthrough.local_day(utc)) == "overdue"
    assert followthrough.tone("open", due, due) == "due_today"
    assert followthrough.tone("done", due, dt.date(2027, 1, 1)) == "done"


@given(present=st.integers(0, 500), approvals=st.integers(0, 500))
def test_minutes_carry_with_more_than_half_of_those_present(present, approvals):
    approvals = min(approvals, present)
    carried = procedure.minutes_approved(approvals, present)
    assert carried == (present > 0 and approvals * 2 > present)
    if present:
        assert procedure.minutes_approved(procedure.approvals_needed(present), present)
        assert not procedure.minutes_approved(procedure.approvals_needed(present) - 1, present)


@pytest.mark.django_db
def test_the_sweep_reminds_an_overdue_item_once_a_day_and_stops_when_it_is_done(world):
    meeting = call_joint_meeting(world)
    wang = world.user("demo-resident")
    decision = record_decision(
        actor=world.user("demo-shequ"),
        meeting=meeting,
        text="王阿姨收集1栋住户的停车需求",
        owner_person=world.person("P-WANG"),
        due_on=dt.date(2026, 3, 10),
        at=START + dt.timedelta(minutes=30),
    )
    on_time = dt.datetime(2026, 3, 10, 20, 0, tzinfo=SHANGHAI)
    assert sweep_overdue(now=on_time).reminded == 0
    late = dt.datetime(2026, 3, 11, 9, 0, tzinfo=SHANGHAI)
    assert sweep_overdue(now=late).items == [decision.pk]
    assert sweep_overdue(now=late + dt.timedelta(hours=8)).reminded == 0  # same day
    row = Outbox.objects.get(kind="meeting.item_overdue")
    assert set(row.recipients) == {wang.pk, world.user("demo-shequ").pk}
    assert row.params["days"] == 1
    out = StringIO()
    call_command("sweepmeetings", now="2026-03-12T09:00:00+08:00", stdout=out)
    assert "reminded 1" in out.getvalue()
    decision.refresh_from_db()
    assert decision.last_reminded_on == dt.date(2026, 3, 12)
    complete_decision(
        actor=wang, decision=decision, note="已收集32户", expected_version=decision.version, at=late
    )
    assert sweep_overdue(now=late + dt.timedelta(days=3)).reminded == 0
    kinds = list(
        MeetingEvent.objects.filter(decision=decision).values_list("kind", flat=True).order_by("pk")
    )
    assert kinds == [
        EventKind.DECIDED,
        EventKind.ITEM_OVERDUE,
        EventKind.ITEM_OVERDUE,
        EventKind.ITEM_DONE,
    ]
    assert Decision.objects.get(pk=decision.pk).status == ItemStatus.DONE
