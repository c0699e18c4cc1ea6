"""What people are told about a mediation case, in the reader's language (notify.messages)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.notify.messages import message


def _numbered(p: Mapping[str, Any], text: str) -> str:
    return f"{p['number']} {text}"


@message("mediation.registered", label=gettext_lazy("A new dispute is registered for mediation"))
def registered(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("New dispute to mediate: %(title)s") % p), p.get("body", "")


@message("mediation.mediators", label=gettext_lazy("I am named mediator of a dispute"))
def mediators(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("You mediate this dispute: %(title)s") % p), p.get("body", "")


@message(
    "mediation.at_risk",
    label=gettext_lazy("A dispute in mediation may turn violent (red alert)"),
)
def at_risk(p: Mapping[str, Any]) -> tuple[str, str]:
    title = (
        _("Red alert: a dispute in mediation may turn violent (police informed): %(title)s")
        if p.get("police_informed")
        else _("Red alert: a dispute in mediation may turn violent: %(title)s")
    )
    return _numbered(p, title % p), p.get("body", "")


@message("mediation.agreed", label=gettext_lazy("A mediation reaches agreement"))
def agreed(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("Agreement reached: %(title)s") % p), p.get("body", "")


@message("mediation.closed", label=gettext_lazy("A mediation ends without agreement"))
def closed(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("Mediation ended without agreement: %(title)s") % p), p.get("body", "")
