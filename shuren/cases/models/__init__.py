"""The models of matters; the choices are re-exported so `from shuren.cases.models import
Status` reads as it always did."""

from shuren.cases.choices import (
    OPEN_STATUSES,
    SETTLED_STATUSES,
    WARNING_COLOUR_OF_RISK,
    Channel,
    DeadlineStage,
    DeadlineUnit,
    EventKind,
    OverdueFlag,
    PartySide,
    ResolutionMethod,
    RiskLevel,
    Status,
    Tier,
    WarningColour,
)
from shuren.cases.models.case import (
    URGENCY,
    Case,
    CaseCounter,
    CaseParty,
    CasePhoto,
    CaseQuerySet,
    IdempotencyKey,
    case_photo_path,
    visible_branches,
    visible_q,
)
from shuren.cases.models.category import Category
from shuren.cases.models.events import CaseEvent
from shuren.cases.models.policies import DeadlinePolicy

__all__ = [
    "OPEN_STATUSES",
    "SETTLED_STATUSES",
    "URGENCY",
    "WARNING_COLOUR_OF_RISK",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "CaseParty",
    "CasePhoto",
    "CaseQuerySet",
    "Category",
    "Channel",
    "DeadlinePolicy",
    "DeadlineStage",
    "DeadlineUnit",
    "EventKind",
    "IdempotencyKey",
    "OverdueFlag",
    "PartySide",
    "ResolutionMethod",
    "RiskLevel",
    "Status",
    "Tier",
    "WarningColour",
    "case_photo_path",
    "visible_branches",
    "visible_q",
]
