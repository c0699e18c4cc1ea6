"""The meeting's rules of procedure that need proof (pure): when check-in is open, when the
minutes are approved, and the check-in code's shape.

Minutes (conservative, written down for the product owner): the secretary's draft is approved
when MORE THAN HALF of the people recorded present at the meeting have approved that very draft.
A new draft starts the count again (an approval is of the text the attendee read). A meeting
nobody was recorded at has no one to approve its minutes, so they stay a draft."""

from __future__ import annotations

import datetime as dt

# Check-in opens this long before the meeting starts (people arrive early) and closes this long
# after it ends (a late arrival, the organiser marking the elderly present by hand).
CHECKIN_EARLY = dt.timedelta(minutes=30)
CHECKIN_LATE = dt.timedelta(hours=2)
CODE_DIGITS = 6


def checkin_open(starts_at: dt.datetime, ends_at: dt.datetime, now: dt.datetime) -> bool:
    return starts_at - CHECKIN_EARLY <= now <= ends_at + CHECKIN_LATE


def has_started(starts_at: dt.datetime, now: dt.datetime) -> bool:
    """Minutes and decisions are recorded once the meeting has begun."""
    return now >= starts_at


def minutes_approved(approvals: int, present: int) -> bool:
    """More than half of those present approved the current draft (exact integers)."""
    return present > 0 and 2 * approvals > present


def approvals_needed(present: int) -> int:
    """The smallest number of approvals that carries the minutes."""
    return present // 2 + 1 if present > 0 else 0


def well_formed_code(code: str) -> bool:
    return len(code) == CODE_DIGITS and code.isascii() and code.isdigit()
