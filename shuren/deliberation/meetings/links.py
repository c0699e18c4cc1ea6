"""What a matter's page says of the meetings that took it up (on an agenda, settled by a
decision), and the link to each meeting for those who may open it (cases.links)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from shuren.cases.links import Link
from shuren.deliberation.meetings.models import Decision, Meeting


def meeting_links(user: Any, case: Any) -> list[Link]:
    # One query for a matter no meeting took up (most of them); the permission of each meeting
    # found asks about its place and invitations.
    settling = Decision.objects.filter(meeting=OuterRef("pk"), case_id=case.pk, settled=True)
    meetings = (
        Meeting.objects.filter(agenda__cases=case)
        .annotate(settles=Exists(settling))
        .select_related("place")
        .distinct()
        .order_by("starts_at", "pk")
    )
    found = []
    for m in meetings:
        opens = user.has_perm("deliberation.view_meeting", m)
        day = f"{timezone.localtime(m.starts_at):%Y-%m-%d}"
        settled = bool(getattr(m, "settles", False))  # the annotation above
        found.append(
            Link(
                label=f"{m.get_kind_display()} · {day}",
                status=_("Settled by this meeting") if settled else _("On its agenda"),
                url=m.get_absolute_url() if opens else "",
                number=m.title if opens else "",
            )
        )
    return found
