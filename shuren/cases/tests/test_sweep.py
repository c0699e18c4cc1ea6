"""The overdue sweep: yellow and red flags, one reminder the day after, escalation after grace."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from shuren.cases.actions import accept_case, resolve_case
from shuren.cases.choices import DeadlineUnit
from shuren.cases.deadlines import Span, due_soon_window
from shuren.cases.intake.photo_files import remove_orphan_photos
from shuren.cases.models import CasePhoto, OverdueFlag, Status, Tier
from shuren.cases.tests.conftest import sh
from shuren.cases.workflow.overdue import Decision, DueFacts, decide
from shuren.cases.workflow.sweep import run_sweep
from shuren.notify.models import Notification
from shuren.testing import deliver
from shuren.workdays.sources import calendar_from_files

CAL = calendar_from_files()
GRACE = Span(2, DeadlineUnit.WORKING_DAYS)
DUE = sh(2026, 3, 3, 10)  # a Tuesday


def facts(**overrides) -> DueFacts:
    values = {"status": Status.REPORTED, "due": DUE, "current_tier": Tier.BUILDING}
    return DueFacts(**{**values, **overrides})


def at(now) -> Decision:
    return decide(facts(), now=now, calendar=CAL, grace=GRACE)


class TestDecide:
    def test_more_than_a_working_day_ahead_is_on_time(self):
        assert at(sh(2026, 3, 2, 9)) == Decision(due=DUE)

    def test_due_within_a_working_day_is_yellow(self):
        assert at(sh(2026, 3, 2, 10)).flag == OverdueFlag.YELLOW

    def test_a_weekend_in_between_still_counts_one_working_day(self):
        friday = decide(
            facts(due=sh(2026, 3, 9, 10)), now=sh(2026, 3, 6, 11), calendar=CAL, grace=GRACE
        )
        assert friday.flag == OverdueFlag.YELLOW

    def test_past_the_deadline_is_red_but_the_reminder_waits_for_the_next_day(self):
        decision = at(sh(2026, 3, 3, 10, 1))
        assert (decision.flag, decision.remind, decision.escalate) == ("red", False, False)

    def test_the_day_after_the_deadline_reminds_once(self):
        assert at(sh(2026, 3, 4, 0, 5)).remind is True
        again = decide(
            facts(reminded_for=DUE, overdue="red"), now=sh(2026, 3, 4, 9), calendar=CAL, grace=GRACE
        )
        assert again.remind is False
        assert again.changes(facts(reminded_for=DUE, overdue="red")) is False

    def test_escalates_when_the_grace_period_is_over(self):
        assert at(sh(2026, 3, 5, 9, 59)).escalate is False
        assert at(sh(2026, 3, 5, 10)).escalate is True

    def test_escalates_once_per_deadline(self):
        decision = decide(facts(escalated_for=DUE), now=sh(2026, 3, 10), calendar=CAL, grace=GRACE)
        assert decision.escalate is False

    def test_never_escalates_beyond_the_subdistrict_on_its_own(self):
        decision = decide(
            facts(current_tier=Tier.SUBDISTRICT), now=sh(2026, 3, 10), calendar=CAL, grace=GRACE
        )
        assert decision.escalate is False
        assert decision.flag == OverdueFlag.RED

    @pytest.mark.parametrize("status", ["resolved", "followed_up", "closed", "rejected", "merged"])
    def test_a_settled_case_is_left_alone(self, status):
        decision = decide(facts(status=status), now=sh(2027, 1, 1), calendar=CAL, grace=GRACE)
        assert decision == Decision()


class TestDueSoonWindow:
    """Yellow within a working day of the deadline, or in the second half of a shorter stage."""

    @pytest.mark.parametrize(
        ("span", "window"),
        [
            (Span(10, DeadlineUnit.WORKING_DAYS), Span(1, DeadlineUnit.WORKING_DAYS)),
            (Span(2, DeadlineUnit.WORKING_DAYS), Span(1, DeadlineUnit.WORKING_DAYS)),
            (Span(1, DeadlineUnit.WORKING_DAYS), Span(3.75, DeadlineUnit.WORKING_HOURS)),
            (Span(2, DeadlineUnit.WORKING_HOURS), Span(1, DeadlineUnit.WORKING_HOURS)),
            (Span(40, DeadlineUnit.WORKING_HOURS), Span(7.5, DeadlineUnit.WORKING_HOURS)),
            (Span(1, DeadlineUnit.HOURS), Span(0.5, DeadlineUnit.HOURS)),
            (Span(72, DeadlineUnit.HOURS), Span(24, DeadlineUnit.HOURS)),
            (Span(0, DeadlineUnit.WORKING_DAYS), Span(0, DeadlineUnit.WORKING_HOURS)),
        ],
    )
    def test_the_window_of_each_kind_of_span(self, span, window):
        assert due_soon_window(span, CAL) == window

    def test_a_one_day_deadline_turns_yellow_for_its_last_half_day(self):
        # Due Tuesday 10:00; 3.75 working hours before it is Monday 15:15 (1 h on Tuesday,
        # 2.75 h before Monday's 18:00).
        soon = due_soon_window(Span(1, DeadlineUnit.WORKING_DAYS), CAL)
        assert (
            decide(facts(soon=soon), now=sh(2026, 3, 2, 15, 14), calendar=CAL, grace=GRACE).flag
            == OverdueFlag.NONE
        )
        assert (
            decide(facts(soon=soon), now=sh(2026, 3, 2, 15, 15), calendar=CAL, grace=GRACE).flag
            == OverdueFlag.YELLOW
        )

    def test_working_days_are_counted_whole(self):
        with pytest.raises(ValueError, match="whole"):
            Span(1.5, DeadlineUnit.WORKING_DAYS).after(sh(2026, 3, 2, 10), CAL)


def test_a_new_case_is_not_due_soon_the_moment_it_arrives(report):
    case = report()  # reported Monday 10:00, to be accepted by Tuesday 10:00
    assert case.overdue == OverdueFlag.NONE


def test_a_short_deadline_turns_yellow_in_its_second_half(report):
    urgent = report(
        "demo-louzhang", risk="high"
    )  # Monday 10:00, to be accepted within 2 working hours
    assert urgent.accept_due == sh(2026, 3, 2, 12)
    assert urgent.overdue == OverdueFlag.NONE
    run_sweep(now=sh(2026, 3, 2, 10, 59))
    urgent.refresh_from_db()
    assert urgent.overdue == OverdueFlag.NONE
    run_sweep(now=sh(2026, 3, 2, 11))
    urgent.refresh_from_db()
    assert urgent.overdue == OverdueFlag.YELLOW


def test_the_sweep_turns_a_new_case_yellow_in_the_second_half_of_its_day(report):
    case = report()
    run_sweep(now=sh(2026, 3, 2, 14))
    case.refresh_from_db()
    assert case.overdue == OverdueFlag.NONE
    run_sweep(now=sh(2026, 3, 2, 16))
    case.refresh_from_db()
    assert case.overdue == OverdueFlag.YELLOW


def test_after_acceptance_the_resolve_deadline_sets_the_colour(world, report):
    case = report()
    accept_case(actor=world.user("demo-louzhang"), case=case, at=sh(2026, 3, 2, 16))
    case.refresh_from_db()
    assert case.overdue == OverdueFlag.NONE  # ten working days to resolve


def test_the_sweep_over_the_life_of_an_ignored_case(world, report):
    case = report()
    louzhang = world.user("demo-louzhang")

    result = run_sweep(now=sh(2026, 3, 3, 11))
    case.refresh_from_db()
    assert (result.flagged, result.reminded, result.escalated) == (1, 0, 0)
    assert case.overdue == OverdueFlag.RED
    assert case.version == 1  # markers do not make the leader's open page stale

    result = run_sweep(now=sh(2026, 3, 4, 9))
    assert (result.flagged, result.reminded, result.escalated) == (0, 1, 0)
    deliver()
    reminder = Notification.objects.get(kind="case.overdue")
    assert reminder.recipient == louzhang
    assert reminder.body == "办理时限是 2026-03-03 10:00。"

    result = run_sweep(now=sh(2026, 3, 4, 15))
    assert (result.flagged, result.reminded, result.escalated) == (0, 0, 0)

    result = run_sweep(now=sh(2026, 3, 5, 10))
    assert result.escalated == 1
    assert result.cases == [case.number]
    case.refresh_from_db()
    assert case.current_tier == Tier.ESTATE
    assert case.escalated_for == case.accept_due
    event = case.events.order_by("pk").last()
    assert (event.kind, event.actor, event.data["automatic"]) == ("escalated", None, True)
    deliver()
    assert Notification.objects.filter(kind="case.escalated", recipient__username="demo-wuye")

    result = run_sweep(now=sh(2026, 3, 6, 10))
    assert result.escalated == 0
    kinds = list(case.events.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["reported", "overdue", "overdue", "escalated"]


def test_accepting_moves_the_watch_to_the_resolve_deadline(world, report):
    case = report()
    run_sweep(now=sh(2026, 3, 3, 11))
    case.refresh_from_db()
    assert case.overdue == OverdueFlag.RED
    case = accept_case(actor=world.user("demo-louzhang"), case=case, at=sh(2026, 3, 3, 12))
    assert case.overdue == OverdueFlag.NONE  # 15 working days to resolve


def test_a_resolved_case_is_no_longer_flagged(world, report):
    case = report()
    case = resolve_case(
        actor=world.user("demo-louzhang"), case=case, method="on_the_spot", summary="已处理"
    )
    assert case.overdue == OverdueFlag.NONE
    assert run_sweep(now=sh(2026, 12, 1)).flagged == 0


def test_the_command_runs_the_sweep_and_purges_keys(report, capsys):
    report(idempotency_key="k")
    call_command("sweepoverdue")
    out = capsys.readouterr().out
    assert "escalated 1" in out
    assert "forgot 1 idempotency key(s)" in out


class TestOrphanPhotos:
    """Photo files no row names are removed a day later; named ones and young ones stay."""

    def test_only_old_unnamed_files_are_removed(self, report, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        case = report(photos=[ContentFile(b"\xff\xd8kept", name="a.jpg")])
        kept = CasePhoto.objects.get(case=case).file.name
        orphan_dir = tmp_path / "cases" / "2026" / "03"
        orphan_dir.mkdir(parents=True, exist_ok=True)
        old, young = orphan_dir / "1-old.jpg", orphan_dir / "1-young.jpg"
        old.write_bytes(b"left by a rollback")
        young.write_bytes(b"its transaction may still run")
        two_days_ago = (sh(2026, 12, 1) - dt.timedelta(days=2)).timestamp()
        os.utime(old, (two_days_ago, two_days_ago))
        os.utime(tmp_path / kept, (two_days_ago, two_days_ago))
        os.utime(young, (sh(2026, 12, 1).timestamp(),) * 2)

        assert remove_orphan_photos(now=sh(2026, 12, 1, 12)) == 1
        assert not old.exists()
        assert young.exists()
        assert (tmp_path / kept).exists()
        assert remove_orphan_photos(now=sh(2026, 12, 1, 12)) == 0

    def test_no_photo_folder_yet_is_fine(self, db, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        assert remove_orphan_photos() == 0

    def test_the_command_says_how_many_it_removed(self, db, settings, tmp_path, capsys):
        settings.MEDIA_ROOT = tmp_path
        call_command("sweepoverdue")
        assert "removed 0 orphaned photo file(s)" in capsys.readouterr().out
