"""An Excel export built in the background (the case register, 台账): who asked for which place and
period, how far it got, and where its file lies (under MEDIA_ROOT, never served from there)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# How long a finished file stays downloadable; older ones go (insights.register.actions).
KEEP_DAYS = 7


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ExportFileQuerySet(models.QuerySet["ExportFile"]):
    def visible_to(self, user: object) -> ExportFileQuerySet:
        """One's own exports only: a file of someone else's is answered like a missing one."""
        pk = getattr(user, "pk", None)
        if pk is None or not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(owner_id=pk)


class ExportFile(models.Model):
    kind = models.CharField(_("kind"), max_length=20, default="register")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    place = models.ForeignKey(
        "places.Place", verbose_name=_("place"), on_delete=models.CASCADE, related_name="+"
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    unmasked = models.BooleanField(_("full names and phones"), default=False)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    # The storage name under MEDIA_ROOT (a private folder); empty until the file is ready.
    file = models.CharField(max_length=200, blank=True, editable=False)
    rows = models.PositiveIntegerField(_("matters"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("asked for"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ExportFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("export file")
        verbose_name_plural = _("export files")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "created_at"], name="exportfile_owner")]

    def __str__(self) -> str:
        return f"{self.kind} {self.place_id} {self.start}..{self.end} ({self.status})"

    def expired(self, now: dt.datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.READY and bool(self.file)
