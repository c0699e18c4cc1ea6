"""Deadline policies: how long a stage may take, per category and risk (rules-cn §3)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shuren.cases.choices import DeadlineStage, DeadlineUnit
from shuren.cases.deadlines import Span


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
