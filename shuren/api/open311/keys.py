"""The API keys partner systems file Open311 requests with: only their hash is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren.cases.models import IdempotencyKey

KEY_PREFIX = "o311_"
# Raw keys are "o311_" + 43 URL-safe characters; anything far longer is not worth hashing.
MAX_KEY_LENGTH = 200


def hash_key(raw: str) -> str:
    # Keys are 256 random bits, so one SHA-256 is enough; no slow KDF is needed.
    return hashlib.sha256(raw.encode()).hexdigest()


def new_raw_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class Open311KeyQuerySet(models.QuerySet["Open311Key"]):
    def active(self) -> Open311KeyQuerySet:
        return self.filter(revoked_at__isnull=True)


class Open311Key(models.Model):
    """One partner system's key (a FixMyStreet, a city app): made by `createopen311key NAME`,
    shown once, revoked in the admin. Reads need no key; filing a request does."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = Open311KeyQuerySet.as_manager()

    class Meta:
        app_label = "api"
        verbose_name = _("Open311 key")
        verbose_name_plural = _("Open311 keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def find(cls, raw: str) -> Open311Key | None:
        """The unrevoked key this raw secret is, or None."""
        raw = (raw or "").strip()
        if not raw.startswith(KEY_PREFIX) or len(raw) > MAX_KEY_LENGTH:
            return None
        return cls.objects.active().filter(key_hash=hash_key(raw)).first()

    def filing_key_prefix(self) -> str:
        """Every request this key files is remembered under this prefix (its Idempotency-Key)."""
        return f"o311:{self.pk}:"

    def over_limit(self, *, now: dt.datetime | None = None) -> bool:
        """Whether this key filed its minute's allowance already
        (SHUREN_OPEN311_REQUESTS_PER_MINUTE): a partner's runaway loop must not flood the
        communities' inboxes. Counted from the requests it filed, so it holds across processes."""
        since = (now or timezone.now()) - dt.timedelta(minutes=1)
        filed = IdempotencyKey.objects.filter(
            user__isnull=True, key__startswith=self.filing_key_prefix(), created_at__gt=since
        )
        return filed.count() >= settings.SHUREN_OPEN311_REQUESTS_PER_MINUTE
