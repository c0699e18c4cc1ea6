"""What people are told of an early-warning alert (kinds `alert.*`), in the reader's language
(rendered by the outbox worker, notify.messages): its level, its kind and its reason in words.
A repeat party is never named in a message (alert_actions leaves the person out of the row)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.insights.alert_choices import AlertKind, AlertLevel
from shuren.insights.alert_reasons import reason_text
from shuren.notify.messages import message


def _label(p: Mapping[str, Any]) -> str:
    return _("%(level)s alert: %(kind)s") % {
        "level": AlertLevel(p["level"]).label,
        "kind": AlertKind(p["alert_kind"]).label,
    }


def _reason(p: Mapping[str, Any]) -> str:
    category = _(p["category"]) if p.get("category") else ""
    return reason_text(p["alert_kind"], p.get("data") or {}, place=p["place"], category=category)


@message("alert.raised", label=gettext_lazy("An early-warning alert is raised"))
def raised(p: Mapping[str, Any]) -> tuple[str, str]:
    return _label(p), _reason(p)


@message("alert.acknowledged", label=gettext_lazy("An early-warning alert is acknowledged"))
def acknowledged(p: Mapping[str, Any]) -> tuple[str, str]:
    return _("Acknowledged: %(alert)s") % {"alert": _label(p)}, _reason(p)


@message("alert.closed", label=gettext_lazy("An early-warning alert is closed"))
def closed(p: Mapping[str, Any]) -> tuple[str, str]:
    body = _reason(p)
    if p.get("note"):
        body += "\n" + _("Closing note: %(note)s") % {"note": p["note"]}
    return _("Closed: %(alert)s") % {"alert": _label(p)}, body
