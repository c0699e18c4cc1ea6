"""Historical records: settled cases written in bulk with their timelines, numbered in sequence,
replayed through the state machine, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from shuren.cases.actions import report_case
from shuren.cases.intake.history import HistoricalCase, HistoricalStep, load_settled_history
from shuren.cases.metrics import case_facts, tier_metrics
from shuren.cases.models import Case, CaseCounter, CaseEvent, Category, Status
from shuren.cases.search import search
from shuren.cases.tests.conftest import MONDAY, sh
from shuren.cases.workflow.transitions import CaseTransitionError
from shuren.people.models import Team

HOUR = dt.timedelta(hours=1)


def step(kind: str, hours: float, **fields) -> tuple[str, float, dict]:
    """A step `hours` after the report."""
    return (kind, hours, fields)


@pytest.fixture
def row(world):
    def _row(*steps: tuple, at: dt.datetime = MONDAY, **fields) -> HistoricalCase:
        values = {
            "place": world.place("GC-JD-JYLW-B01-U1"),
            "category": Category.objects.get(code="neighbour-odour"),
            "title": "楼上住户鱼腥味太重，邻里多次争吵",
            "reported_at": at,
            "steps": [HistoricalStep(kind=k, at=at + h * HOUR, **f) for k, h, f in steps],
            "reporter_id": world.person("P-CHEN").pk,
            "source": "纸质台账",
        }
        return HistoricalCase(**{**values, **fields})

    return _row


SETTLED_ON_THE_SPOT = (
    step("accepted", 1),
    step("resolved", 5, method="on_the_spot", note="楼长上门劝说，两家和解。"),
    step("followed_up", 26, note="回访满意"),
    step("closed", 27),
)


def test_a_settled_case_is_written_with_the_timeline_the_actions_would_have_written(world, row):
    company = Team.objects.get(code="WY-JYLW")
    louzhang = world.user("demo-louzhang")
    steps = (
        step("accepted", 1, actor_id=louzhang.pk),
        step("escalated", 20, actor_id=louzhang.pk, note="住户不配合，需物业协助。", to_tier=2),
        step("assigned", 22, team_id=company.pk),
        step("resolved", 48, method="mediation", note="物业和楼长一起上门，两家和解。"),
        step("followed_up", 72, note="回访满意"),
        step("closed", 73),
    )
    assert load_settled_history(rows=[row(*steps)]) == 1
    case = Case.objects.get()
    assert case.number == "GC-2026-000001"
    assert (case.status, case.current_tier, case.max_tier, case.settled_tier) == (
        Status.CLOSED,
        2,
        2,
        2,
    )
    assert case.assignee_team == company
    assert case.accepted_at == MONDAY + HOUR
    assert case.resolved_at == MONDAY + 48 * HOUR
    assert case.closed_at == MONDAY + 73 * HOUR
    assert (case.satisfied, case.reopened_count, case.version) == (True, 0, 7)
    assert case.resolution_summary == "物业和楼长一起上门，两家和解。"
    assert MONDAY < case.accept_due < case.resolve_due
    assert case.follow_up_due > case.resolved_at
    timeline = list(
        case.events.order_by("at", "pk").values_list(
            "kind", "from_status", "to_status", "from_tier", "to_tier", "actor"
        )
    )
    assert timeline == [
        ("reported", "", "reported", 1, 1, None),
        ("accepted", "reported", "accepted", 1, 1, louzhang.pk),
        ("escalated", "accepted", "accepted", 1, 2, louzhang.pk),
        ("assigned", "accepted", "in_progress", 2, 2, None),
        ("resolved", "in_progress", "resolved", 2, 2, None),
        ("followed_up", "resolved", "followed_up", 2, 2, None),
        ("closed", "followed_up", "closed", 2, 2, None),
    ]
    assert case.events.get(kind="reported").data["source"] == "纸质台账"
    assigned = case.events.get(kind="assigned").data
    assert (assigned["team"], assigned["team_name"]) == (company.pk, "金域蓝湾物业服务中心")
    assert list(search(Case.objects.all(), "鱼腥味")) == [case]


def test_numbers_continue_each_years_counter_and_later_reports_continue_after_them(world, row):
    first = report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="neighbour-noise"),
        title="楼上深夜拖动桌椅",
        at=MONDAY,
    )
    assert first.number == "GC-2026-000001"
    rows = [
        row(*SETTLED_ON_THE_SPOT, at=MONDAY + dt.timedelta(days=1)),
        row(*SETTLED_ON_THE_SPOT, at=MONDAY - dt.timedelta(days=1)),
        row(
            step("resolved", 2, method="on_the_spot", note="楼长当场处理。"),
            step("closed", 3),
            at=sh(2015, 6, 1, 10),
        ),
    ]
    assert load_settled_history(rows=rows) == 3
    numbers = dict(Case.objects.values_list("reported_at", "number"))
    assert numbers[MONDAY - dt.timedelta(days=1)] == "GC-2026-000002"
    assert numbers[MONDAY + dt.timedelta(days=1)] == "GC-2026-000003"
    assert numbers[sh(2015, 6, 1, 10)] == "GC-2015-000001"
    assert dict(CaseCounter.objects.values_list("year", "last")) == {2026: 3, 2015: 1}
    later = report_case(
        actor=world.user("demo-resident"),
        place=world.place("GC-JD-JYLW-B01-U1"),
        category=Category.objects.get(code="neighbour-noise"),
        title="又是楼上拖动桌椅",
        at=MONDAY + dt.timedelta(days=3),
    )
    assert later.number == "GC-2026-000004"


def test_a_reopened_case_keeps_its_reopening_and_ends_unsatisfied_when_closed_without_asking(
    row,
):
    steps = (
        step("resolved", 2, method="on_the_spot", note="楼长上门劝说。"),
        step("reopened", 30, note="回访：又有气味了。"),
        step("resolved", 80, method="mediation", note="社区调解，楼上装排气扇。"),
        step("closed", 90),
    )
    load_settled_history(rows=[row(*steps)])
    case = Case.objects.get()
    assert (case.status, case.reopened_count, case.satisfied) == (Status.CLOSED, 1, False)
    assert (case.resolution_method, case.resolved_at) == ("mediation", MONDAY + 80 * HOUR)
    # 重办 starts a new resolve deadline from the reopening, as follow_up_case does.
    assert case.resolve_due > MONDAY + 30 * HOUR + dt.timedelta(days=14)
    reopened = case.events.get(kind="reopened")
    assert (reopened.from_status, reopened.to_status) == ("resolved", "in_progress")
    assert reopened.data["previous_method"] == "on_the_spot"


def test_a_referral_beyond_the_subdistrict_counts_against_never_beyond(row):
    steps = (
        step("accepted", 1),
        step("escalated", 10, note="社区协调不了。", to_tier=3),
        step("escalated", 30, note="当事人坚持诉讼。", to_tier=5, referred_to="南海区人民法院"),
        step("resolved", 300, method="referral", note="法院判决，已履行。"),
        step("closed", 301),
    )
    load_settled_history(rows=[row(*steps, reporter_id=None)])
    case = Case.objects.get()
    assert (case.max_tier, case.settled_tier) == (5, 5)
    assert case.events.filter(kind="escalated").last().data["referred_to"] == "南海区人民法院"
    metrics = tier_metrics(case_facts(Case.objects.all()))
    assert metrics.never_beyond.value == 0


def test_a_history_that_does_not_end_settled_is_refused_and_nothing_is_written(row):
    with pytest.raises(ValidationError) as err:
        load_settled_history(rows=[row(*SETTLED_ON_THE_SPOT), row(step("accepted", 1))])
    assert err.value.code == "not_settled"
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()
    assert not CaseCounter.objects.exists()


def test_a_step_the_state_machine_forbids_is_refused(row):
    with pytest.raises(CaseTransitionError):
        load_settled_history(rows=[row(step("closed", 1))])
    with pytest.raises(CaseTransitionError):
        load_settled_history(rows=[row(step("followed_up", 1))])
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("steps", "code"),
    [
        ((step("escalated", 1, note="上报", to_tier=1),), "not_higher"),
        ((step("escalated", 1, to_tier=2),), "required"),
        ((step("resolved", 1, method="magic", note="好了"),), "invalid_method"),
        ((step("resolved", 1, method="on_the_spot"),), "required"),
        ((step("resolved", 5, method="on_the_spot", note="好了"), step("closed", 1)), "time_order"),
        ((step("merged", 1),), "invalid_step"),
    ],
)
def test_incomplete_or_impossible_steps_are_refused(row, steps, code):
    with pytest.raises(ValidationError) as err:
        load_settled_history(rows=[row(*steps)])
    assert err.value.code == code
    assert not Case.objects.exists()


def test_a_history_cannot_end_in_the_future(row):
    soon = dt.datetime.now(tz=dt.UTC) - HOUR
    steps = (step("resolved", 2, method="on_the_spot", note="好了"),)
    with pytest.raises(ValidationError) as err:
        load_settled_history(rows=[row(*steps, at=soon)])
    assert err.value.code == "future"


def test_nothing_to_load_writes_nothing(db):
    assert load_settled_history(rows=[]) == 0
    assert not CaseCounter.objects.exists()
