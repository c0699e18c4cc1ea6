"""What people are told about a matter: the words of each notification kind, in the reader's
language (rendered by the outbox worker, notify.messages). Each title starts with the number.

The resident who reported a matter is told in their own words (audience "reporter"): what
happened to *their* matter and what they can do now, never the workers' shorthand."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.cases.choices import Tier
from shuren.notify.messages import message


def _numbered(params: Mapping[str, Any], text: str) -> str:
    return f"{params['number']} {text}"


@message("case.reported", label=gettext_lazy("A new matter is reported for my level to handle"))
def reported(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("New matter: %(title)s") % p), p.get("body", "")


@message("case.accepted", label=gettext_lazy("A matter I reported is accepted"))
def accepted(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("Accepted: %(title)s") % p), p.get("body", "")


@message("case.accepted", audience="reporter")
def accepted_for_reporter(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("Your matter is being handled: %(title)s") % p), p.get("body", "")


@message("case.assigned", label=gettext_lazy("A matter is assigned to me or my team"))
def assigned(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("Assigned to you: %(title)s") % p), p.get("body", "")


@message("case.escalated", label=gettext_lazy("A matter is passed on to a higher level"))
def escalated(p: Mapping[str, Any]) -> tuple[str, str]:
    title = _("Escalated to %(tier)s: %(title)s") % {
        "tier": Tier(p["tier"]).label,
        "title": p["title"],
    }
    return _numbered(p, title), p.get("body", "")


@message("case.escalated", audience="reporter")
def escalated_for_reporter(p: Mapping[str, Any]) -> tuple[str, str]:
    title = _("Your matter was passed on to the %(tier)s: %(title)s") % {
        "tier": Tier(p["tier"]).label,
        "title": p["title"],
    }
    return _numbered(p, title), p.get("body", "")


@message("case.returned", label=gettext_lazy("A matter is returned by whoever it was assigned to"))
def returned(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("Returned: %(title)s") % p), p.get("body", "")


@message("case.resolved", label=gettext_lazy("A matter I reported is resolved"))
def resolved(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("Resolved: %(title)s. Are you satisfied?") % p), p.get("body", "")


@message("case.resolved", audience="reporter")
def resolved_for_reporter(p: Mapping[str, Any]) -> tuple[str, str]:
    title = _("Your matter was resolved: %(title)s. Tap to say whether you are satisfied.") % p
    return _numbered(p, title), p.get("body", "")


@message(
    "case.reopened",
    label=gettext_lazy("A matter is reopened because the reporter is not satisfied"),
)
def reopened(p: Mapping[str, Any]) -> tuple[str, str]:
    title = _("Reopened, the reporter is not satisfied: %(title)s") % p
    return _numbered(p, title), p.get("body", "")


@message("case.reopened", audience="reporter")
def reopened_for_reporter(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("Your matter is being handled again: %(title)s") % p), p.get("body", "")


@message("case.rejected", label=gettext_lazy("A matter I reported is not accepted"))
def rejected(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("Not accepted: %(title)s") % p), p.get("body", "")


@message("case.rejected", audience="reporter")
def rejected_for_reporter(p: Mapping[str, Any]) -> tuple[str, str]:
    return _numbered(p, _("Your matter was not accepted: %(title)s") % p), p.get("body", "")


@message("case.overdue", label=gettext_lazy("A matter I handle is overdue"))
def overdue(p: Mapping[str, Any]) -> tuple[str, str]:
    due = parse_datetime(p["due"]) if p.get("due") else None
    body = (
        _("The deadline was %(due)s.") % {"due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")}
        if due
        else ""
    )
    return _numbered(p, _("Overdue: %(title)s") % p), body
