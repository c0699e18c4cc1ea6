"""The access log: every unmasked read of personal information, without the value itself."""

from __future__ import annotations

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from shuren.access.context import scope_of
from shuren.audit.actions import record
from shuren.audit.choices import Kind


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def visible_to(self, user: object) -> AccessLogQuerySet:
        # Only the auditor reads the log (三员分立); nobody edits or deletes it.
        return self if scope_of(user).reads_audit else self.none()


class AccessLog(models.Model):
    class Action(models.TextChoices):
        UNMASK = "unmask", _("Unmasked read")
        EXPORT = "export", _("Unmasked export")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=50)
    object_id = models.CharField(_("object id"), max_length=50, blank=True)
    fields = models.CharField(_("fields"), max_length=100)
    reason = models.CharField(_("reason"), max_length=200)
    count = models.PositiveIntegerField(_("records"), default=1)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        # Kept at least 6 months (网络安全法 Art. 21); the purge job may not touch younger rows.
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_type}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("access log entries cannot be changed")
        # With its twin in the audit trail, in one transaction: every unmasked read (one
        # person's field, or an export's) is a chained, tamper-evident `reveal` entry too.
        with transaction.atomic():
            super().save(*args, **kwargs)  # type: ignore[arg-type]
            self._record()

    def _record(self) -> None:
        record(
            Kind.REVEAL,
            actor=self.user,
            username=self.username,
            ip=self.ip_address or "",
            target=(self.object_type, self.object_id, ""),
            detail={
                "action": self.action,
                "fields": self.fields,
                "count": self.count,
                "reason": self.reason,
            },
        )

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("access log entries cannot be deleted")
