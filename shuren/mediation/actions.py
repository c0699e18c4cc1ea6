"""Every change to a mediation case: registering it, consent, mediators, sessions, the time
limit, risk, papers, prevention, the agreement or another ending, judicial confirmation,
follow-up and the archived file. Each is atomic, authorized on the locked case, version
checked, and records one event and one outbox row (shuren/kernel/action.py)."""

from shuren.mediation.from_matter import open_from_matter
from shuren.mediation.outcome import (
    archive_mediation,
    close_mediation,
    follow_up,
    issue_agreement,
    record_confirmation,
)
from shuren.mediation.progress import (
    add_document,
    add_party,
    choose_mediators,
    extend_time_limit,
    hold_session,
    mark_risk,
    record_consent,
    record_prevention,
    reveal_party,
)
from shuren.mediation.registration import PartyInput, register_mediation

__all__ = [
    "PartyInput",
    "add_document",
    "add_party",
    "archive_mediation",
    "choose_mediators",
    "close_mediation",
    "extend_time_limit",
    "follow_up",
    "hold_session",
    "issue_agreement",
    "mark_risk",
    "open_from_matter",
    "record_confirmation",
    "record_consent",
    "record_prevention",
    "register_mediation",
    "reveal_party",
]
