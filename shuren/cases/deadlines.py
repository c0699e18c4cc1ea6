"""Deadline policies per category, risk and stage, and the arithmetic that turns them to times."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from shuren.cases.models import Category
    from shuren.workdays.calendar import WorkCalendar


class DeadlineStage(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    RESOLVE = "resolve", _("Resolve")
    FOLLOW_UP = "follow_up", _("Follow up")
    # How long after a missed deadline the overdue sweep escalates the case one tier up.
    GRACE = "grace", _("Grace before automatic escalation")


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    # Life and property risks do not wait for Monday.
    HOURS = "hours", _("hours (around the clock)")


@dataclass(frozen=True)
class Span:
    amount: float  # whole for working days; a warning window may be half an hour
    unit: str

    def after(self, start: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
        from shuren.workdays.calendar import add_working_days, add_working_hours

        if self.unit == DeadlineUnit.WORKING_DAYS:
            if self.amount != int(self.amount):
                raise ValueError("working days are counted whole")
            return add_working_days(calendar, start, int(self.amount))
        if self.unit == DeadlineUnit.WORKING_HOURS:
            return add_working_hours(calendar, start, self.amount)
        return start + dt.timedelta(hours=self.amount)


# A deadline is "due soon" (yellow) within one working day of it, or within the second half of
# its stage when the whole stage is that short: a matter to be accepted within one working day
# (the usual rule) would otherwise be yellow from the moment it arrives, and a colour every
# new matter wears tells nobody anything.
DUE_SOON = Span(1, DeadlineUnit.WORKING_DAYS)


def due_soon_window(span: Span, calendar: WorkCalendar) -> Span:
    """How long before a deadline of this stage span it turns yellow (pure)."""
    if span.unit == DeadlineUnit.WORKING_DAYS:
        if span.amount >= 2:
            return DUE_SOON
        return Span(calendar.hours_per_day * span.amount / 2, DeadlineUnit.WORKING_HOURS)
    if span.unit == DeadlineUnit.WORKING_HOURS:
        return Span(min(span.amount / 2, calendar.hours_per_day), DeadlineUnit.WORKING_HOURS)
    return Span(min(span.amount / 2, 24), DeadlineUnit.HOURS)


# Used when the policy table has no row at all for a stage (rules-cn §3; the migration seeds
# the same values so that the admin shows and can change them).
FALLBACK: dict[str, Span] = {
    DeadlineStage.ACCEPT: Span(1, DeadlineUnit.WORKING_DAYS),
    DeadlineStage.RESOLVE: Span(10, DeadlineUnit.WORKING_DAYS),
    DeadlineStage.FOLLOW_UP: Span(1, DeadlineUnit.WORKING_DAYS),
    DeadlineStage.GRACE: Span(2, DeadlineUnit.WORKING_DAYS),
}


class DeadlinePolicy(models.Model):
    """How long a stage may take: for one category (or every one) and one risk (or any)."""

    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_policies",
        help_text=_("Empty: every category without a policy of its own."),
    )
    risk = models.CharField(
        _("risk level"),
        max_length=10,
        blank=True,
        choices=[
            ("low", _("Low")),
            ("medium", _("Medium")),
            ("high", _("High")),
            ("critical", _("Critical")),
        ],
        help_text=_("Empty: any risk level."),
    )
    stage = models.CharField(_("stage"), max_length=10, choices=DeadlineStage.choices)
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=14, choices=DeadlineUnit.choices)
    note = models.CharField(_("source or note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["stage", "category__sort_order", "risk"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "risk", "stage"], name="deadline_policy_unique"
            ),
            # NULLs never collide in a unique index, so the defaults need their own constraint.
            models.UniqueConstraint(
                fields=["risk", "stage"],
                condition=Q(category__isnull=True),
                name="deadline_policy_default_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.amount} {self.get_unit_display()}"

    @property
    def span(self) -> Span:
        return Span(self.amount, self.unit)


def _rank(policy: Any, category_id: int | None, parent_id: int | None, risk: str) -> int:
    """Lower is more specific. A risk rule beats a category rule: urgency decides first."""
    if policy.category_id == category_id:
        cat = 0
    elif parent_id is not None and policy.category_id == parent_id:
        cat = 1
    else:
        cat = 2
    return (0 if policy.risk == risk and risk else 3) + cat


def pick_span(
    policies: Iterable[Any],
    *,
    category_id: int | None,
    parent_id: int | None,
    risk: str,
    stage: str,
) -> Span:
    """The most specific matching policy's span for a stage (pure: tested without a database)."""
    best: tuple[int, Span] | None = None
    for policy in policies:
        if policy.stage != stage:
            continue
        if policy.risk and policy.risk != risk:
            continue
        if policy.category_id not in (None, category_id, parent_id):
            continue
        rank = _rank(policy, category_id, parent_id, risk)
        if best is None or rank < best[0]:
            best = (rank, Span(policy.amount, policy.unit))
    return best[1] if best else FALLBACK[stage]


def spans_for(*, category: Category, risk: str) -> dict[str, Span]:
    """Every stage's span for a case of this category and risk (policies kept per process)."""
    from shuren.cases.reference import deadline_policies

    policies = deadline_policies()
    return {
        stage: pick_span(
            policies,
            category_id=category.pk,
            parent_id=category.parent_id,
            risk=risk,
            stage=stage,
        )
        for stage in DeadlineStage.values
    }
