"""The sweep counts every vote whose voting time is up, as the system, and leaves the others."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from shuren.deliberation.actions import cast_ballot
from shuren.deliberation.tests.conftest import open_vote
from shuren.deliberation.votes.choices import Status
from shuren.kernel.models import Outbox
from shuren.management.commands.rundemo import SWEEPS

pytestmark = pytest.mark.django_db


def test_closevotes_counts_the_votes_whose_time_is_up(world):
    due = open_vote(world, title="已截止的表决", closes_in=-1)
    running = open_vote(world, title="进行中的表决", closes_in=3)
    cast_ballot(actor=world.user("demo-resident"), vote=running, choice="agree")
    out = io.StringIO()
    call_command("closevotes", stdout=out)
    assert "counted 1 vote(s)" in out.getvalue()
    due.refresh_from_db()
    running.refresh_from_db()
    assert (due.status, due.passed) == (Status.CLOSED, False)
    assert running.status == Status.ANNOUNCED
    assert Outbox.objects.filter(kind="vote.counted").count() == 1


def test_the_demo_runs_the_sweep():
    assert "closevotes" in SWEEPS
