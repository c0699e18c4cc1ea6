"""What invitees, owners and organisers are told about a meeting, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.deliberation.meetings.choices import ItemStatus, Kind
from shuren.notify.messages import message


def _kind(p: Mapping[str, Any]) -> str:
    kind = p.get("meeting_kind", "")
    return str(Kind(kind).label) if kind in Kind.values else str(kind)


@message("meeting.called", label=gettext_lazy("I am invited to a meeting"))
def called(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Meeting notice: %(title)s") % p,
        _(
            "You are invited to a %(kind)s at %(starts)s, %(venue)s. "
            "Open the meeting for the agenda."
        )
        % {**p, "kind": _kind(p)},
    )


@message("meeting.cancelled", label=gettext_lazy("A meeting I am invited to is cancelled"))
def cancelled(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Meeting cancelled: %(title)s") % p,
        _("The meeting will not be held: %(reason)s") % p,
    )


@message("meeting.minutes", label=gettext_lazy("The minutes of a meeting await my approval"))
def minutes(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Minutes to approve: %(title)s") % p,
        _("The secretary has drafted the minutes. Read them and approve them if they are right.")
        % p,
    )


@message("meeting.minutes_approved", label=gettext_lazy("The minutes of a meeting are approved"))
def minutes_approved(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Minutes approved: %(title)s") % p,
        _("More than half of those present approved the minutes.") % p,
    )


@message("meeting.decided", label=gettext_lazy("A meeting gives me a decision to carry out"))
def decided(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("For you to carry out: %(text)s") % p,
        _("The meeting %(title)s decided this and made you its owner. Deadline: %(due)s.") % p,
    )


@message("meeting.item_closed", label=gettext_lazy("A meeting's decision is carried out or closed"))
def item_closed(p: Mapping[str, Any]) -> tuple[str, str]:
    status = p.get("status", "")
    label = str(ItemStatus(status).label) if status in ItemStatus.values else str(status)
    return (
        _("Follow-through %(status)s: %(text)s") % {**p, "status": label},
        _("From the meeting %(title)s.") % p,
    )


@message("meeting.item_overdue", label=gettext_lazy("A meeting's decision I carry out is overdue"))
def item_overdue(p: Mapping[str, Any]) -> tuple[str, str]:
    return (
        _("Overdue: %(text)s") % p,
        _(
            "Decided at %(title)s, due %(due)s, %(days)s day(s) overdue. "
            "Please carry it out or say what stands in the way."
        )
        % p,
    )
