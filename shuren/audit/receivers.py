"""Logins, failed logins, logouts and lockouts, recorded where Django and django-axes announce
them (their signals), so every way in (the login page, the admin's, the API's session) is
covered without a call in each view."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from shuren.audit.actions import record
from shuren.audit.choices import Kind


def _account(username: str) -> tuple[str, str, str]:
    # Who was tried: the name typed, which may belong to no account (never the password).
    return ("accounts.user", "", username)


@receiver(user_logged_in, dispatch_uid="audit.login")
def logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(Kind.LOGIN, actor=user, request=request, target=user)


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    username = str(credentials.get("username") or "")
    record(Kind.LOGIN_FAILED, username="", request=request, target=_account(username))


@receiver(user_logged_out, dispatch_uid="audit.logout")
def logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(Kind.LOGOUT, actor=user, request=request, target=user)


@receiver(user_locked_out, dispatch_uid="audit.locked_out")
def locked_out(sender: Any, request: Any, username: str, ip_address: str, **kw: Any) -> None:
    record(
        Kind.LOCKED_OUT,
        username="",
        request=request,
        ip=ip_address,
        target=_account(username or ""),
        # axes announces the lockout, and again each attempt refused while it lasts; the
        # count of failures is known only at the moment it locks.
        detail={"failures": getattr(request, "axes_failures_since_start", None)},
    )
