"""The words of a matter: statuses, tiers, channels, risk levels, event kinds, deadline stages.

A leaf: models, workflow, intake, rules and every face use these choices, and this module
imports nothing of the project.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    RECEPTION_DAY = "reception_day", _("Reception day")
    PATROL = "patrol", _("Patrol")
    VISIT = "visit", _("Home visit")
    WECHAT_GROUP = "wechat_group", _("WeChat group")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Self-report online")
    JOINT_MEETING = "joint_meeting", _("Joint meeting")
    OPEN311 = "open311", _("Open311")


# What the recorder found on patrol, or the joint meeting raised, needs no one else named.
OWN_CHANNELS = (Channel.PATROL, Channel.JOINT_MEETING)


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class WarningColour(models.TextChoices):
    """Early-warning colours (rules-cn §3): who acts and how fast."""

    NONE = "", _("None")
    YELLOW = "yellow", _("Yellow: the grid member or leader handles it on the spot")
    ORANGE = "orange", _("Orange: handle it the same day")
    RED = "red", _("Red: report upward immediately")


WARNING_COLOUR_OF_RISK: dict[str, str] = {
    RiskLevel.LOW: WarningColour.NONE,
    RiskLevel.MEDIUM: WarningColour.YELLOW,
    RiskLevel.HIGH: WarningColour.ORANGE,
    RiskLevel.CRITICAL: WarningColour.RED,
}


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")


# Someone still owes the reporter an answer.
OPEN_STATUSES = (Status.REPORTED, Status.ACCEPTED, Status.IN_PROGRESS)
# Settled somewhere on the ladder (the tier metrics count these).
SETTLED_STATUSES = (Status.RESOLVED, Status.FOLLOWED_UP, Status.CLOSED)


class Tier(models.IntegerChoices):
    """The ladder: a matter is handled at the lowest tier that can settle it."""

    BUILDING = 1, _("Building, lane or street leader")
    ESTATE = 2, _("Estate")
    COMMUNITY = 3, _("Community")
    SUBDISTRICT = 4, _("Subdistrict")
    BEYOND = 5, _("Beyond the subdistrict")


class EstateTier(models.TextChoices):
    """Which matters of a category the estate tier (tier 2) handles: a policy per category."""

    ALL = "all", _("The estate tier: its property company, owners' committee and groups")
    # A complaint about the property service never goes to the company complained about.
    WITHOUT_COMPANY = (
        "without_company",
        _("The owners' committee or self-governance group only, never the property company"),
    )
    SKIP = "skip", _("Not the estate tier: from the building straight to the community")


class OverdueFlag(models.TextChoices):
    NONE = "none", _("On time")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")


class ResolutionMethod(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("Settled on the spot")
    MEDIATION = "mediation", _("Mediation")
    PROPERTY_REPAIR = "property_repair", _("Property repair")
    JOINT_MEETING = "joint_meeting", _("Joint meeting")
    REFERRAL = "referral", _("Referral")


class PartySide(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    OTHER = "other", _("Other party")


class EventKind(models.TextChoices):
    REPORTED = "reported", _("Report received")
    ACCEPTED = "accepted", _("Taken on")
    ASSIGNED = "assigned", _("Assigned")
    NOTED = "noted", _("Note added")
    ESCALATED = "escalated", _("Escalated")
    RETURNED = "returned", _("Handed back")
    RESOLVED = "resolved", _("Marked resolved")
    # The reporter's own answer to "are you satisfied?" (居民评价), or a community follow-up.
    FOLLOWED_UP = "followed_up", _("Resident's rating")
    REOPENED = "reopened", _("Resident's rating: not satisfied, handled again")
    # A leader or staff member records the answer the reporter gave them offline (代居民评价).
    RATED_ON_BEHALF = "rated_behalf", _("Rating recorded for the resident")
    CLOSED = "closed", _("Case closed")
    MERGED = "merged", _("Merged into another case")
    REJECTED = "rejected", _("Turned down")
    OVERDUE = "overdue", _("Deadline watch")


class DeadlineStage(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    RESOLVE = "resolve", _("Resolve")
    FOLLOW_UP = "follow_up", _("Follow up")
    # How long after a missed deadline the overdue sweep escalates the case one tier up.
    GRACE = "grace", _("Grace before automatic escalation")
    # How long the reporter has to rate a resolved matter before it may be closed without it.
    RATING = "rating", _("Time for the reporter's rating")


class RatingChannel(models.TextChoices):
    """How a reporter's answer reached the leader who records it for them (代居民评价)."""

    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", _("In person")
    WECHAT = "wechat", _("On WeChat")
    OTHER = "other", _("Some other way")


class DeadlineUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    # Life and property risks do not wait for Monday.
    HOURS = "hours", _("hours (around the clock)")
