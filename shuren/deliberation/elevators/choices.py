"""The stages, states and kinds of an elevator retrofit project: a leaf."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    """The project's ladder, in order (rules-cn.md §1): each step is one action."""

    SURVEY = "survey", _("Survey of intent")
    VOTE = "vote", pgettext_lazy("elevator stage", "Owners' vote")
    NOTICE = "notice", _("Public notice")
    DESIGN = "design", _("Design and permit")
    CONSTRUCTION = "construction", _("Construction")
    ACCEPTANCE = "acceptance", _("Acceptance")
    IN_SERVICE = "in_service", _("In service")


STAGES: tuple[str, ...] = tuple(Stage.values)


class Electorate(models.TextChoices):
    """Whose owners vote (a policy of the project): the stairwell served, or its whole building."""

    PLACE = "place", _("The owners of the stairwell served")
    BUILDING = "building", _("The owners of the whole building")


class Consent(models.TextChoices):
    PENDING = "pending", _("Not asked yet")
    GIVEN = "given", _("Consents")
    REFUSED = "refused", _("Refuses")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("objection", "Open")
    SETTLED = "settled", pgettext_lazy("objection", "Settled")


class EventKind(models.TextChoices):
    CREATED = "created", _("Project registered")
    SURVEYED = "surveyed", _("Survey of intent recorded")
    VOTE_CALLED = "vote_called", _("Owners' vote called")
    ADVANCED = "advanced", _("Moved to the next stage")
    AFFECTED = "affected", _("Affected owner named")
    CONSENT = "consent", _("Consent recorded")
    OBJECTION = "objection", _("Objection filed")
    OBJECTION_SETTLED = "objection_settled", _("Objection settled")
    COSTS = "costs", _("Cost sharing agreed")
    HISTORY = "history", _("Entered from the records")
