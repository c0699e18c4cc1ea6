"""What the audit trail records: its kinds of event (a leaf every recorder imports)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOCKED_OUT = "locked_out", _("Locked out")
    UNLOCKED = "unlocked", _("Unlocked")
    LOGOUT = "logout", _("Logged out")
    PASSWORD_CHANGED = "password_changed", _("Changed their own password")
    PASSWORD_SET = "password_set", _("Set another account's password")
    ACCOUNT_CHANGED = "account_changed", _("Account changed")
    POST_GRANTED = "post_granted", _("Post given")
    POST_ENDED = "post_ended", _("Post ended")
    EXPORT = "export", _("Export")
    REVEAL = "reveal", _("Unmasked read")
    DENIED = "denied", _("Request refused")
    CONFIG_CHANGED = "config_changed", _("Configuration changed")
    PURGED = "purged", _("Old entries purged")
    ANONYMISED = "anonymised", _("Personal data anonymised")


# The kernel's events (kernel.Event kinds, written by the actions) that are audit entries too.
# A password set on one's own account is a change, not a set, whatever the event says.
AUDITED_EVENTS: dict[str, Kind] = {
    "account.changed": Kind.ACCOUNT_CHANGED,
    "account.password_set": Kind.PASSWORD_SET,
    "account.password_changed": Kind.PASSWORD_CHANGED,
    "account.unlocked": Kind.UNLOCKED,
    "post.appointed": Kind.POST_GRANTED,
    "post.ended": Kind.POST_ENDED,
    "person.anonymised": Kind.ANONYMISED,
    # A partner system's Open311 key given or taken away (shuren/api/open311/actions.py).
    "open311.key_created": Kind.CONFIG_CHANGED,
    "open311.key_revoked": Kind.CONFIG_CHANGED,
}
