"""The kinds and states of a meeting and of its decisions' follow-through: a leaf."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    """What sort of meeting: who sits in it follows from its kind and the invitations."""

    JOINT = "joint", _("Joint meeting")  # 联席会议: community, property company, leaders, residents
    ONLINE_JOINT = "online_joint", _("Online joint meeting")  # in a WeChat group
    NEIGHBOURS = "neighbours", _("Neighbourhood consultation")  # 街坊会议事
    COMMITTEE = "committee", _("Homeowners' committee meeting")  # 业委会会议
    ASSEMBLY = "assembly", _("Owners' assembly")  # 业主大会
    RESIDENTS = "residents", _("Residents' council")  # 居民议事会


# The kinds a homeowners' committee member calls for their own estate (业委会会议, 业主大会).
OWNERS_KINDS = frozenset({Kind.COMMITTEE, Kind.ASSEMBLY})


class Status(models.TextChoices):
    CALLED = "called", pgettext_lazy("meeting", "Called")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")


class Minutes(models.TextChoices):
    NONE = "none", _("Not drafted")
    DRAFT = "draft", _("Draft, awaiting approval")
    APPROVED = "approved", _("Approved")


class Presence(models.TextChoices):
    """How an attendee's presence was recorded."""

    CODE = "code", _("Checked in with the code")
    BY_HAND = "by_hand", _("Marked present by the organiser")


class ItemStatus(models.TextChoices):
    """A decision's follow-through: open until done or cancelled."""

    OPEN = "open", pgettext_lazy("follow-through", "Open")
    DONE = "done", pgettext_lazy("follow-through", "Done")
    CANCELLED = "cancelled", pgettext_lazy("follow-through", "Cancelled")


class EventKind(models.TextChoices):
    CALLED = "called", _("Meeting called")
    AGENDA = "agenda", _("Agenda item added")
    CHECKED_IN = "checked_in", _("Checked in")
    MARKED_PRESENT = "marked_present", _("Marked present")
    MINUTES_DRAFTED = "minutes_drafted", _("Minutes drafted")
    MINUTES_APPROVAL = "minutes_approval", _("Minutes approved by an attendee")
    DECIDED = "decided", _("Decision recorded")
    ITEM_DONE = "item_done", _("Follow-through done")
    ITEM_CANCELLED = "item_cancelled", _("Follow-through cancelled")
    ITEM_OVERDUE = "item_overdue", _("Overdue reminder")
    CANCELLED = "cancelled", pgettext_lazy("meeting event", "Meeting cancelled")
