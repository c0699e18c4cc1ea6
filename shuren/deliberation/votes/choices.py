"""The kinds and states of an owners' vote: a leaf."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Matter(models.IntegerChoices):
    """民法典 Art. 278: what the owners decide jointly (items 6-8 need 3/4 of the participants)."""

    RULES = 1, _("Rules of procedure of the owners' assembly")
    COVENANT = 2, _("Management covenant")
    COMMITTEE = 3, _("Elect or replace the homeowners' committee")
    PROPERTY_COMPANY = 4, _("Hire or dismiss the property company")
    USE_FUND = 5, _("Use the building maintenance fund")
    RAISE_FUND = 6, _("Raise the building maintenance fund")
    REBUILD = 7, _("Rebuild or alter buildings and their facilities")
    COMMON_USE = 8, _("Change the use of common parts or run business on them")
    OTHER = 9, _("Other major matters")


class Status(models.TextChoices):
    ANNOUNCED = "announced", pgettext_lazy("vote", "Announced")
    CLOSED = "closed", pgettext_lazy("vote", "Counted")
    CANCELLED = "cancelled", pgettext_lazy("vote", "Cancelled")


class BallotChoice(models.TextChoices):
    AGREE = "agree", _("Agree")
    DISAGREE = "disagree", _("Disagree")
    ABSTAIN = "abstain", _("Abstain")


class Origin(models.TextChoices):
    """How a ballot came in (each ballot records its origin)."""

    WEB = "web", _("Online")
    PAPER = "paper", _("Paper ballot")
    PROXY = "proxy", _("By proxy")


class EventKind(models.TextChoices):
    CALLED = "called", _("Vote called")
    BALLOT = "ballot", _("Ballot cast")
    CLOSED = "closed", _("Votes counted")
    RECOUNTED = "recounted", _("Recounted")
    CANCELLED = "cancelled", pgettext_lazy("vote event", "Cancelled")


class PaperKind(models.TextChoices):
    """The papers attached to a ballot entered by staff: the proof it came in as counted."""

    SCAN = "scan", _("Scanned ballot")
    AUTHORISATION = "authorisation", _("Written authorisation")
