"""The case state machine: one table of which action moves which status where."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.cases.models import Status

REPORTED, ACCEPTED, IN_PROGRESS = Status.REPORTED, Status.ACCEPTED, Status.IN_PROGRESS
RESOLVED, FOLLOWED_UP, CLOSED = Status.RESOLVED, Status.FOLLOWED_UP, Status.CLOSED
REJECTED, MERGED = Status.REJECTED, Status.MERGED


class Action(models.TextChoices):
    ACCEPT = "accept", gettext_lazy("accept")
    ASSIGN = "assign", gettext_lazy("assign")
    ADD_NOTE = "add_note", gettext_lazy("add a note to")
    ESCALATE = "escalate", gettext_lazy("escalate")
    RETURN = "return", gettext_lazy("return")
    RESOLVE = "resolve", gettext_lazy("resolve")
    FOLLOW_UP_SATISFIED = "follow_up_satisfied", gettext_lazy("follow up")
    FOLLOW_UP_UNSATISFIED = "follow_up_unsatisfied", gettext_lazy("reopen")
    CLOSE = "close", gettext_lazy("close")
    MERGE = "merge", gettext_lazy("merge")
    REJECT = "reject", gettext_lazy("reject")


# action -> {from status: to status}. A status missing from an action's row is refused.
TRANSITIONS: dict[str, dict[str, str]] = {
    Action.ACCEPT: {REPORTED: ACCEPTED},
    # Dispatching a reported case accepts it on the way.
    Action.ASSIGN: {REPORTED: IN_PROGRESS, ACCEPTED: IN_PROGRESS, IN_PROGRESS: IN_PROGRESS},
    Action.ADD_NOTE: {s: s for s in Status.values},
    # The new tier has to take the matter up again; nobody there is working on it yet.
    Action.ESCALATE: {REPORTED: REPORTED, ACCEPTED: ACCEPTED, IN_PROGRESS: ACCEPTED},
    Action.RETURN: {ACCEPTED: ACCEPTED, IN_PROGRESS: ACCEPTED},
    # A leader may settle on the spot what they have just found.
    Action.RESOLVE: {REPORTED: RESOLVED, ACCEPTED: RESOLVED, IN_PROGRESS: RESOLVED},
    Action.FOLLOW_UP_SATISFIED: {RESOLVED: FOLLOWED_UP},
    Action.FOLLOW_UP_UNSATISFIED: {RESOLVED: IN_PROGRESS},  # 重办
    # Without a reachable reporter there is no follow-up; staff close after resolving.
    Action.CLOSE: {RESOLVED: CLOSED, FOLLOWED_UP: CLOSED},
    Action.MERGE: {REPORTED: MERGED, ACCEPTED: MERGED, IN_PROGRESS: MERGED},
    Action.REJECT: {REPORTED: REJECTED, ACCEPTED: REJECTED},
}


class CaseTransitionError(ValidationError):
    """The action is not possible in the case's current state (the API answers 409)."""

    def __init__(self, action: str, status: str) -> None:
        self.action = action
        self.status = status
        super().__init__(
            _("You cannot %(action)s a case that is %(status)s.")
            % {"action": Action(action).label, "status": Status(status).label},
            code="illegal_transition",
        )


def allowed(action: str, status: str) -> bool:
    return status in TRANSITIONS[action]


def next_status(action: str, status: str) -> str:
    """Where the action takes a case in this status, or CaseTransitionError."""
    try:
        return TRANSITIONS[action][status]
    except KeyError:
        raise CaseTransitionError(action, status) from None


def actions_from(status: str) -> list[str]:
    """Every action the state machine allows in a status (for showing buttons)."""
    return [action for action, row in TRANSITIONS.items() if status in row]
