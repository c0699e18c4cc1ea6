"""The audit trail's tables: the entries (append-only, chained by hash), the head of the chain
(its newest number and hash, so deleting the newest rows shows), and the anchors the purges
leave (where the chain now starts)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shuren.audit.choices import Kind

# The hash the first entry links to when nothing was ever purged.
GENESIS = "0" * 64


class AppendOnly(PermissionError):
    """An audit row cannot be changed or deleted (the purge is the one exception, in SQL)."""


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise AppendOnly("audit rows cannot be changed or deleted")


class AppendOnlyQuerySet(models.QuerySet[Any]):
    # The QuerySet's bulk writes would pass by Model.save and Model.delete.
    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    update_or_create = _refuse
    select_for_update = _refuse  # nobody locks a row they may not change


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("audit rows cannot be changed")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit rows cannot be deleted")


class AuditEntry(AppendOnlyModel):
    """One event. `hash` is SHA-256 over `prev_hash` and the row's canonical form
    (audit/chain.py); `seq` numbers the rows without gaps, so a deleted row leaves a hole."""

    seq = models.BigIntegerField(pgettext_lazy("audit", "number"), primary_key=True)
    at = models.DateTimeField(_("when"), db_index=True)
    kind = models.CharField(pgettext_lazy("audit", "kind"), max_length=32, choices=Kind.choices)
    # Not a foreign key: an account removed later must not change (or cascade into) the trail.
    actor_pk = models.BigIntegerField(_("account id"), null=True, blank=True)
    actor_username = models.CharField(_("who"), max_length=150, blank=True, db_index=True)
    ip = models.CharField(_("IP address"), max_length=45, blank=True)
    target_type = models.CharField(_("object type"), max_length=50, blank=True)
    target_id = models.CharField(_("object id"), max_length=50, blank=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-seq"]
        default_permissions = ("view",)
        indexes = [models.Index(fields=["kind", "seq"], name="audit_kind_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.at:%Y-%m-%d %H:%M} {self.kind} {self.actor_username}"


class AuditHead(models.Model):
    """The newest entry's number and hash, written with it under a lock: appends are serial
    (the chain never forks), and a verifier sees when the newest rows were deleted. One row."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"head #{self.seq} {self.hash}"


class AuditAnchor(AppendOnlyModel):
    """Left by each purge: the last purged entry's number and hash, where the chain resumes."""

    seq = models.BigIntegerField(_("last purged number"), primary_key=True)
    hash = models.CharField(_("hash"), max_length=64)
    purged_before = models.DateField(_("purged before"))
    at = models.DateTimeField(_("when"))
    actor_username = models.CharField(_("who"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.seq} (purged before {self.purged_before})"
