"""The explicit acts on an account: display preferences (elder mode, language), API tokens, and
what the security administrator changes (switching an account on or off, setting a password),
which runs on the kernel and leaves an event for the auditor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.access.context import forget
from shuren.accounts.models import ApiToken, User
from shuren.kernel.action import change

DENIED = "Only the security administrator keeps accounts."


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


def change_account(
    *,
    actor: User | None,
    user: User,
    is_active: bool,
    is_staff: bool,
    elder_mode: bool,
    language: str,
    at: dt.datetime | None = None,
) -> User:
    """Switch an account on or off, let it into the admin or not, and its display preferences;
    the event names what changed (an auditor reads who let whom in)."""
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError(_("Choose a language this site offers."), code="language")
    with change(
        User.objects, user.pk, actor=actor, perm="accounts.change_user", at=at, denied=_(DENIED)
    ) as act:
        account = act.subject
        values: dict[str, Any] = {
            "is_active": is_active,
            "is_staff": is_staff,
            "elder_mode": elder_mode,
            "language": language,
        }
        changed = [f for f, value in values.items() if getattr(account, f) != value]
        if not changed:
            act.unchanged()
            return account
        for field_name in changed:
            setattr(account, field_name, values[field_name])
        act.save(changed)
        act.record_change("account.changed", data={f: values[f] for f in changed})
    forget(user)  # switched off: the scope this request read for them no longer holds
    return account


def set_account_password(
    *, actor: User | None, user: User, password: str | None, at: dt.datetime | None = None
) -> User:
    """Set an account's password (already checked by the password rules), or with None switch
    password logins off for it. The event says which, never the password."""
    with change(
        User.objects, user.pk, actor=actor, perm="accounts.change_user", at=at, denied=_(DENIED)
    ) as act:
        account = act.subject
        if password is None:
            account.set_unusable_password()
        else:
            account.set_password(password)
        act.save(["password"])
        act.record_change("account.password_set", data={"usable": password is not None})
        return account
