"""The kernel's two tables: the outbox every action writes to, and the change log of subjects
that keep no timeline of their own (posts, places, people)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutboxQuerySet(models.QuerySet["Outbox"]):
    def pending(self, now: dt.datetime | None = None) -> OutboxQuerySet:
        """Not yet handled, not given up, and not waiting for a retry."""
        now = now or timezone.now()
        return self.filter(processed_at__isnull=True).filter(
            Q(retry_at__isnull=True) | Q(retry_at__lte=now)
        )

    def failing(self) -> OutboxQuerySet:
        """Rows a handler has failed on: waiting for a retry, or given up."""
        return self.filter(attempts__gt=0).exclude(error="")


class Outbox(models.Model):
    """What an action's change means for others, written in the action's own transaction.

    The worker (kernel.outbox.drain) hands each row to the handlers (in-app notifications, and
    later WeCom, e-mail, warnings) exactly once, in order per subject. `recipients` are the
    user ids the action decided must be told; `params` what the message says, rendered by the
    worker in each recipient's own language.
    """

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    subject_type = models.CharField(_("subject type"), max_length=50)  # "cases.case"
    subject_id = models.BigIntegerField(_("subject id"))
    event_type = models.CharField(_("event type"), max_length=50)  # "cases.caseevent"
    event_id = models.BigIntegerField(_("event id"))
    kind = models.CharField(pgettext_lazy("outbox", "kind"), max_length=40)  # "case.escalated"
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    retry_at = models.DateTimeField(_("retry at"), null=True, blank=True)
    # Set with processed_at when the handlers failed too often: the row is shown to the
    # administrator and no longer holds back the subject's later rows.
    given_up = models.BooleanField(_("given up"), default=False)
    error = models.TextField(_("last error"), blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("outbox row")
        verbose_name_plural = _("outbox")
        ordering = ["pk"]
        indexes = [
            # What the worker reads: the oldest pending rows, and a subject's earlier ones.
            models.Index(
                fields=["id"], name="outbox_pending", condition=Q(processed_at__isnull=True)
            ),
            models.Index(
                fields=["subject_type", "subject_id", "id"],
                name="outbox_subject_pending",
                condition=Q(processed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind or self.event_type} {self.subject_type}#{self.subject_id}"


class Event(models.Model):
    """One change to a subject that keeps no timeline of its own (a post, a place, a person):
    who, when, what, why. Capabilities with a timeline of their own (cases.CaseEvent) write
    there instead; either way an action writes exactly one event."""

    subject_type = models.CharField(_("subject type"), max_length=50)
    subject_id = models.BigIntegerField(_("subject id"))
    kind = models.CharField(pgettext_lazy("event", "kind"), max_length=40)  # "post.appointed"
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.TextField(_("note or reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "at"], name="event_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.subject_type}#{self.subject_id}"


class TaskRerun(models.Model):
    """The administrator's re-run of a background task that failed for good: which failed result
    it answers (a task result's id, from either backend), so that failure no longer counts,
    and by whom. The re-run itself is a new task result."""

    failed_id = models.CharField(_("failed task"), max_length=64, unique=True)
    task_path = models.CharField(_("task"), max_length=255)
    error = models.CharField(_("error"), max_length=255, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("task re-run")
        verbose_name_plural = _("task re-runs")

    def __str__(self) -> str:
        return f"{self.task_path} {self.failed_id}"
