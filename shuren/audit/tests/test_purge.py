"""Entries are kept at least 180 days: `manage.py purgeaudit --before DAY` refuses a younger day
(and a longer period set in the settings), deletes only what is older, leaves an anchor the
chain then starts from, and is itself recorded."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from shuren.audit.actions import record
from shuren.audit.chain import link
from shuren.audit.choices import Kind
from shuren.audit.models import AuditAnchor, AuditEntry, AuditHead
from shuren.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def old_entries(*days_ago: int) -> None:
    """Entries written that many days ago, chained as `record` chains them (a test may write
    the past; the application writes only the present)."""
    head = AuditHead.objects.filter(pk=1).first() or AuditHead.objects.create(pk=1)
    seq, prev = head.seq, head.hash
    for days in days_ago:
        seq += 1
        values = {
            "seq": seq,
            "at": timezone.now() - dt.timedelta(days=days),
            "kind": Kind.LOGIN.value,
            "actor_pk": None,
            "actor_username": "demo-shequ",
            "ip": "10.0.0.1",
            "target_type": "",
            "target_id": "",
            "target_label": "",
            "detail": {},
        }
        entry = AuditEntry(**values, prev_hash=prev, hash=link(prev, values))
        entry.save()
        prev = entry.hash
    AuditHead.objects.filter(pk=1).update(seq=seq, hash=prev)


def purge(day: dt.date) -> str:
    out = io.StringIO()
    call_command("purgeaudit", "--before", day.isoformat(), stdout=out)
    return out.getvalue()


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def test_a_purge_of_a_day_younger_than_180_days_is_refused_and_deletes_nothing():
    old_entries(400, 300, 10)
    with pytest.raises(CommandError) as refused:
        purge(days_ago(179))
    assert "180" in str(refused.value)
    assert days_ago(180).isoformat() in str(refused.value)
    assert AuditEntry.objects.count() == 3
    assert not AuditEntry.objects.filter(kind=Kind.PURGED).exists()


@override_settings(SHUREN_AUDIT_RETENTION_DAYS=365)
def test_a_longer_period_in_the_settings_is_held_too():
    old_entries(400, 300)
    with pytest.raises(CommandError, match="365"):
        purge(days_ago(200))


@override_settings(SHUREN_AUDIT_RETENTION_DAYS=30)
def test_a_shorter_period_in_the_settings_does_not_lower_the_floor():
    old_entries(400, 100)
    with pytest.raises(CommandError, match="180"):
        purge(days_ago(90))


def test_a_day_that_is_not_a_date_is_refused():
    with pytest.raises(CommandError, match="2026-01-31"):
        call_command("purgeaudit", "--before", "last year")


def test_a_purge_deletes_only_the_old_entries_leaves_an_anchor_and_is_recorded(world):
    old_entries(500, 400, 300, 100)
    record(Kind.LOGIN, actor=world.user("demo-auditor"))
    third = AuditEntry.objects.get(seq=3)
    said = purge(days_ago(200))
    assert "3" in said
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5, 6]
    anchor = AuditAnchor.objects.get()
    assert (anchor.seq, anchor.hash, anchor.purged_before) == (3, third.hash, days_ago(200))
    purged = AuditEntry.objects.get(kind=Kind.PURGED)
    assert purged.detail == {"before": days_ago(200).isoformat(), "deleted": 3, "through": 3}
    assert purged.actor_username == "manage.py purgeaudit"
    # The chain now starts at the anchor, and is whole from there.
    assert verify_chain().ok


def test_after_a_purge_deleting_the_first_remaining_entry_is_still_found():
    from shuren.audit.tests.test_chain import raw

    old_entries(500, 400, 100, 50)
    purge(days_ago(200))
    raw("DELETE FROM audit_auditentry WHERE seq = %s", [3])
    assert [(f.kind, f.first, f.last) for f in verify_chain().findings] == [("deleted", 3, 3)]


def test_an_old_entry_written_after_a_young_one_stays_with_everything_after_it():
    # A clock that went back: entry 3 looks old but follows a young one; the purge stops at 2.
    old_entries(500, 10, 400)
    purge(days_ago(200))
    assert AuditEntry.objects.filter(seq__in=[2, 3]).count() == 2
    assert verify_chain().ok


def test_a_purge_with_nothing_old_enough_deletes_nothing_and_says_so():
    old_entries(30)
    purge(days_ago(200))
    assert AuditEntry.objects.filter(kind=Kind.LOGIN).count() == 1
    assert AuditEntry.objects.get(kind=Kind.PURGED).detail["deleted"] == 0
    assert not AuditAnchor.objects.exists()
    assert verify_chain().ok
