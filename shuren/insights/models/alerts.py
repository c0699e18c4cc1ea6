"""Early-warning alerts (raised by the sweep and by the report's first background task) and the
lexicon of risky words that a new matter is matched against."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.access.context import standing_of
from shuren.insights.alert_choices import (
    LEVEL_RANK,
    AlertKind,
    AlertLevel,
    AlertStatus,
    levels_for,
)
from shuren.places.paths import subtree_q

RED_FIRST = models.Case(
    *(
        models.When(level=level.value, then=models.Value(rank))
        for level, rank in LEVEL_RANK.items()
    ),
    default=models.Value(len(LEVEL_RANK)),
    output_field=models.IntegerField(),
)


def visible_alerts_q(user: Any) -> Q:
    """The alerts this user answers for: for each active post of theirs, the alerts of the
    levels its role answers for (alert_choices.LEVEL_ROLES) at its place or below it."""
    q = Q(pk__in=[])
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return q
    by_path: dict[str, set[str]] = {}
    for post in standing_of(user).posts:
        levels = levels_for(post.role)
        if levels and post.place_path:
            by_path.setdefault(post.place_path, set()).update(levels)
    for path, held in sorted(by_path.items()):
        q |= Q(level__in=sorted(held)) & subtree_q(path, "place__path")
    return q


class AlertQuerySet(models.QuerySet["Alert"]):
    def visible_to(self, user: Any) -> AlertQuerySet:
        return self.filter(visible_alerts_q(user))

    def not_closed(self) -> AlertQuerySet:
        return self.exclude(status=AlertStatus.CLOSED)

    def red_first(self) -> AlertQuerySet:
        return self.annotate(rank=RED_FIRST).order_by("rank", "-created_at", "-pk")


class Alert(models.Model):
    """预警: one warning of trouble at a place, with its reason. `kind` names the words of the
    reason (insights/alert_reasons.py) and `data` holds what they say (the matched words, the
    matters' numbers, the counts and p-value), so it reads in each reader's own language."""

    kind = models.CharField(
        pgettext_lazy("alert", "kind"), max_length=20, choices=AlertKind.choices
    )
    level = models.CharField(_("level"), max_length=10, choices=AlertLevel.choices)
    status = models.CharField(
        _("status"), max_length=14, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=pgettext_lazy("alert", "place"),
        on_delete=models.PROTECT,
        related_name="alerts",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("matter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    category = models.ForeignKey(
        "cases.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the alert is about ("hotspot:123"): while one alert of a key is not closed, no
    # second one is raised (the constraint below); a closed one is raised again only on new
    # matters (alert_actions.raise_alert).
    key = models.CharField(_("key"), max_length=100, editable=False)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_note = models.TextField(_("closing note"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~Q(status="closed"), name="alert_one_open_per_key"
            ),
        ]
        indexes = [
            models.Index(fields=["key", "-created_at"], name="alert_key_newest"),
            models.Index(fields=["status", "level", "-created_at"], name="alert_status_level"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("insights:alert", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status == AlertStatus.CLOSED

    @property
    def case_ids(self) -> list[int]:
        """The matters behind the alert (their ids, as the raiser stored them)."""
        return [int(pk) for pk in self.data.get("cases", []) if str(pk).isdigit()]


class RiskyWord(models.Model):
    """A word of the early-warning lexicon: a new matter whose title or description holds it
    (matched on jieba's words) raises an alert of the word's level."""

    word = models.CharField(_("word"), max_length=20, unique=True)
    level = models.CharField(
        _("level"), max_length=10, choices=AlertLevel.choices, default=AlertLevel.ORANGE
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("risky word")
        verbose_name_plural = _("risky words")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
