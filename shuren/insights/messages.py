"""What people are told by insights, in the reader's language (notify.messages renders it): the
case register they asked for is ready, or could not be built. Kinds are named `register.*`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.notify.messages import message


@message("register.ready", label=gettext_lazy("A case register I asked for is ready"))
def register_ready(p: Mapping[str, Any]) -> tuple[str, str]:
    title = _("Your case register of %(place)s is ready") % p
    body = _("%(rows)s matters, %(start)s to %(end)s. The file is kept for 7 days.") % p
    return title, body


@message("register.failed", label=gettext_lazy("A case register I asked for could not be made"))
def register_failed(p: Mapping[str, Any]) -> tuple[str, str]:
    title = _("Your case register of %(place)s could not be made") % p
    body = _("%(start)s to %(end)s. Try again, or ask the administrator.") % p
    return title, body
