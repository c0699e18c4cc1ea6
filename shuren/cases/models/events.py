"""The case timeline: one event per action, written through the kernel with the change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.cases.choices import EventKind, Status


class CaseEvent(models.Model):
    """One change on a case's timeline: who, when, from which state and tier to which, and why."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(
        pgettext_lazy("event", "kind"), max_length=12, choices=EventKind.choices
    )
    # Null for the system (the overdue sweep, imports).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    from_status = models.CharField(_("from status"), max_length=12, blank=True)
    to_status = models.CharField(_("to status"), max_length=12, blank=True)
    from_tier = models.PositiveSmallIntegerField(_("from tier"), null=True, blank=True)
    to_tier = models.PositiveSmallIntegerField(_("to tier"), null=True, blank=True)
    # Whom this step gave the matter to (派单, or taking it on): they held it, and keep seeing
    # it after it moves on (the 经手的 list, Case.objects.visible_to).
    to_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("given to person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_team = models.ForeignKey(
        "people.Team",
        verbose_name=_("given to team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note or reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_timeline")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    @property
    def from_status_label(self) -> str:
        return str(Status(self.from_status).label) if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        return str(Status(self.to_status).label) if self.to_status else ""
