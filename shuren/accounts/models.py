"""Login accounts: the user, their display preferences and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

import rules
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shuren import rawsql
from shuren.access.context import scope_of
from shuren.access.scope import Scope


class User(AbstractUser):
    person = models.OneToOneField(
        "people.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    # 长辈版: larger type and targets, remembered per user (elderly-ui.md).
    elder_mode = models.BooleanField(_("elder mode"), default=False)
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
    )

    # A password someone else set (the security administrator, for a new account or a reset)
    # is a handover, not a credential: its holder must choose their own before anything else.
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Django answers yes to every permission of an active superuser. Here, where the domain
        has a rule for a record (a matter, a person, a place: django-rules), the rule answers,
        for a superuser too: scope applies to everyone (issue 10). The flag still opens the
        admin's model pages and the configuration tables, which have no rule of their own;
        `createsuperuser` makes the first account, which then appoints the posts."""
        if obj is None or not self.is_superuser or not rules.perm_exists(perm):
            return super().has_perm(perm, obj)
        return self.is_active and rules.has_perm(perm, self, obj)

    @property
    def scope(self) -> Scope:
        """What this user may see, computed once per request (access.context). The foundation's
        QuerySets read it for `visible_to(user)` (places.scoped)."""
        return scope_of(self)

    def __str__(self) -> str:
        # The login's name only: an account is shown to those who keep accounts (三员分立),
        # who are not told whose record it is linked to.
        return self.username


TOKEN_PREFIX = "shuren_"  # noqa: S105 - a public prefix, not a secret


def hash_token(raw: str) -> str:
    # Tokens are 256 random bits, so one SHA-256 is enough; no slow KDF is needed.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its hash is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, *, user: User, name: str = "") -> tuple[ApiToken, str]:
        """Create a token and return it with the raw secret, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=raw[: len(TOKEN_PREFIX) + 6], token_hash=hash_token(raw)
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str) -> User | None:
        """The active owner of an unrevoked token, or None. Every API call runs this, so it is
        one hand-written statement (shuren/rawsql.py says why); it matches
        `ApiToken.objects.active().filter(token_hash=…)` (tests/test_apitoken.py)."""
        user_fields, user_columns = rawsql.columns(User, "u")
        found = rawsql.rows(
            rawsql.sql(
                "SELECT {{columns}}, {t.id}, {t.last_used_at} "
                "FROM {u} JOIN {t} ON {t.user} = {u.id} "
                "WHERE {t.token_hash} = %s AND {t.revoked_at} IS NULL AND {u.is_active} = %s",
                u=User,
                t=ApiToken,
            ).replace("{columns}", user_columns),
            [hash_token(raw), True],
        )
        if not found:
            return None
        row = found[0]
        user = rawsql.instance(User, user_fields, row[: len(user_fields)])
        token = rawsql.instance(cls, ("id", "last_used_at"), row[len(user_fields) :])
        now = timezone.now()
        # Write last-use at most once a minute so a busy client does not write on every call.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return user
