"""Whether a resolved matter still waits for its reporter's rating (居民评价) before 结案.

A matter is closed once the reporter has said whether they are satisfied (themselves, or
through a leader who records the answer they gave offline: 代居民评价), or once the rating
window has passed: a deadline policy (DeadlineStage.RATING, 3 working days unless the admin
sets another per category or risk), counted in working days from the resolution. A matter
nobody outside can be asked about waits for nothing: one with no reporter and no contact, or
one the workers found themselves (on patrol, at a joint meeting: its reporter is whoever
recorded it) without naming a contact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from shuren.cases.choices import OWN_CHANNELS, DeadlineStage, Status
from shuren.cases.reference import spans_for
from shuren.workdays.current import current_calendar


def has_someone_to_ask(case: Any) -> bool:
    """The matter names a reporter or a contact whose satisfaction can be asked."""
    if case.contact_name or case.contact_phone:
        return True
    return case.reporter_id is not None and case.channel not in OWN_CHANNELS


def rating_window_ends(case: Any) -> dt.datetime | None:
    """When the reporter's time to rate a resolved matter runs out (None: not resolved)."""
    if case.resolved_at is None:
        return None
    span = spans_for(category=case.category, risk=case.risk)[DeadlineStage.RATING]
    return span.after(case.resolved_at, current_calendar())


def awaits_rating(case: Any, now: dt.datetime | None = None) -> bool:
    """The matter is resolved, someone can be asked, and their time to rate has not run out:
    结案 waits."""
    if case.status != Status.RESOLVED or not has_someone_to_ask(case):
        return False
    ends = rating_window_ends(case)
    return ends is not None and (now or timezone.now()) < ends
