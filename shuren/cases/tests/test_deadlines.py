"""Deadline policies: the seeded defaults, the most specific rule wins, and the arithmetic."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from shuren.cases.choices import DeadlineStage, DeadlineUnit
from shuren.cases.deadlines import FALLBACK, Span, pick_span
from shuren.cases.models import Category, DeadlinePolicy
from shuren.cases.reference import spans_for
from shuren.cases.tests.conftest import sh
from shuren.workdays.current import current_calendar


@dataclass
class P:
    """A policy row without the database."""

    stage: str
    amount: int
    unit: str = DeadlineUnit.WORKING_DAYS
    category_id: int | None = None
    risk: str = ""


RESOLVE = DeadlineStage.RESOLVE


def pick(policies, *, category_id=10, parent_id=1, risk="low", stage=RESOLVE):
    return pick_span(policies, category_id=category_id, parent_id=parent_id, risk=risk, stage=stage)


class TestPickSpan:
    def test_the_default_applies_to_every_category(self):
        assert pick([P(RESOLVE, 10)]) == Span(10, "working_days")

    def test_a_parent_category_beats_the_default(self):
        assert pick([P(RESOLVE, 10), P(RESOLVE, 15, category_id=1)]).amount == 15

    def test_the_category_itself_beats_its_parent(self):
        policies = [P(RESOLVE, 10), P(RESOLVE, 15, category_id=1), P(RESOLVE, 5, category_id=10)]
        assert pick(policies).amount == 5

    def test_a_risk_rule_beats_any_category_rule(self):
        policies = [
            P(RESOLVE, 5, category_id=10),
            P(RESOLVE, 2, unit=DeadlineUnit.HOURS, risk="critical"),
        ]
        assert pick(policies, risk="critical") == Span(2, "hours")
        assert pick(policies, risk="low").amount == 5

    def test_a_risk_rule_for_the_category_beats_the_general_risk_rule(self):
        policies = [P(RESOLVE, 2, risk="high"), P(RESOLVE, 1, risk="high", category_id=1)]
        assert pick(policies, risk="high").amount == 1

    def test_other_categories_and_stages_are_ignored(self):
        policies = [P(RESOLVE, 3, category_id=99), P(DeadlineStage.ACCEPT, 7)]
        assert pick(policies) == FALLBACK[RESOLVE]

    def test_an_empty_table_falls_back_to_rules_cn(self):
        assert pick([], stage=DeadlineStage.ACCEPT) == Span(1, "working_days")


class TestSeededPolicies:
    def test_rules_cn_defaults_are_seeded_and_editable_rows(self, db):
        default = DeadlinePolicy.objects.get(category=None, risk="", stage="resolve")
        assert (default.amount, default.unit) == (10, "working_days")
        assert str(default) == "办结: 10 个工作日"

    @pytest.mark.parametrize(
        ("code", "risk", "accept", "resolve"),
        [
            ("facilities", "low", Span(1, "working_days"), Span(10, "working_days")),
            ("neighbour-noise", "low", Span(1, "working_days"), Span(15, "working_days")),
            ("property", "medium", Span(1, "working_days"), Span(15, "working_days")),
            ("security", "low", Span(1, "working_days"), Span(15, "working_days")),
            ("parking", "high", Span(2, "working_hours"), Span(1, "working_days")),
            ("neighbour-leak", "critical", Span(1, "hours"), Span(2, "hours")),
        ],
    )
    def test_spans_for_each_kind_of_matter(self, code, risk, accept, resolve, db):
        spans = spans_for(category=Category.objects.get(code=code), risk=risk)
        assert (spans["accept"], spans["resolve"]) == (accept, resolve)
        assert spans["follow_up"] == Span(1, "working_days")

    def test_an_edited_policy_takes_effect(self, db):
        DeadlinePolicy.objects.filter(category=None, risk="", stage="resolve").update(amount=7)
        spans = spans_for(category=Category.objects.get(code="parking"), risk="low")
        assert spans["resolve"] == Span(7, "working_days")


class TestArithmetic:
    def test_working_days_skip_the_national_day_holiday(self, db):
        cal = current_calendar()
        # Reported on 30 September 2026; 1-7 October are off.
        due = Span(1, DeadlineUnit.WORKING_DAYS).after(sh(2026, 9, 30, 10), cal)
        assert due == sh(2026, 10, 8, 10)

    def test_working_hours_stop_at_the_end_of_the_day(self, db):
        cal = current_calendar()
        due = Span(2, DeadlineUnit.WORKING_HOURS).after(sh(2026, 3, 2, 17), cal)
        assert due == sh(2026, 3, 3, 10)

    def test_clock_hours_run_through_the_night(self, db):
        cal = current_calendar()
        assert Span(2, DeadlineUnit.HOURS).after(sh(2026, 3, 2, 23), cal) == sh(2026, 3, 3, 1)
