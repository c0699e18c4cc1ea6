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
    # Off the ladder: the owners gave up or withdrew; the project keeps its record, the
    # stage it stopped at (stopped_from) and why, and no longer holds the stairwell.
    STOPPED = "stopped", pgettext_lazy("elevator stage", "Stopped")


# The ladder, in order: every stage but STOPPED, which a project leaves it for.
STAGES: tuple[str, ...] = tuple(s for s in Stage.values if s != Stage.STOPPED)
LADDER: tuple[Stage, ...] = tuple(Stage(s) for s in STAGES)
# The stages a project holds its stairwell in (a second project is refused while one is here).
CLOSED_STAGES: tuple[str, ...] = (Stage.IN_SERVICE, Stage.STOPPED)


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
    STOPPED = "stopped", _("Project stopped")
