"""The explicit acts on an account: display preferences (elder mode, language), API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from shuren.accounts.models import ApiToken, User


@transaction.atomic
def set_elder_mode(*, user: User, on: bool) -> bool:
    """Turn 长辈版 on or off for this user; return whether anything changed."""
    if user.elder_mode == on:
        return False
    user.elder_mode = on
    user.save(update_fields=["elder_mode"])
    return True


@transaction.atomic
def set_language(*, user: User, language: str) -> bool:
    """Remember the user's language; return whether anything changed."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValueError(f"unsupported language {language!r}")
    if user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True


@transaction.atomic
def revoke_api_tokens(*, tokens: QuerySet[ApiToken]) -> int:
    """Revoke tokens at once (the admin's action); return how many were still active."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
