"""What people are told about their own account: the words of each notification kind, in the
reader's language (rendered by the outbox worker, notify.messages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.notify.messages import message
from shuren.workdays.calendar import SHANGHAI


@message("account.password_set", label=gettext_lazy("The security administrator sets my password"))
def password_set(p: Mapping[str, Any]) -> tuple[str, str]:
    moment = parse_datetime(p.get("at", ""))
    when = timezone.localtime(moment, SHANGHAI).strftime("%Y-%m-%d %H:%M") if moment else ""
    title = _("Your password was set by the security administrator")
    body = _(
        "At %(when)s the security administrator set a new password for your account. You "
        "will choose your own at your next login; if you did not ask for this, tell your community "
        "office."
    ) % {"when": when}
    return title, body
