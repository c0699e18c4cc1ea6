"""When a decision's follow-through item is overdue and when its owner is reminded (pure).

Deadlines are calendar dates in Guicheng (Asia/Shanghai): an item due on the 10th is on time all
of the 10th, overdue from the first moment of the 11th there, whatever the server's clock zone.
An overdue item is reminded at most once per Guicheng day (the sweep may run every ten minutes:
the day of the last reminder is kept), and never once it is done or cancelled."""

from __future__ import annotations

import datetime as dt

from shuren.deliberation.meetings.choices import ItemStatus
from shuren.workdays.calendar import SHANGHAI


def local_day(at: dt.datetime) -> dt.date:
    """The date in Guicheng at this instant (an aware datetime)."""
    if at.tzinfo is None:
        raise ValueError("a naive datetime has no day in Guicheng")
    return at.astimezone(SHANGHAI).date()


def is_overdue(status: str, due_on: dt.date, today: dt.date) -> bool:
    """Still open after its deadline day."""
    return status == ItemStatus.OPEN and today > due_on


def days_overdue(status: str, due_on: dt.date, today: dt.date) -> int:
    """How many days past its deadline an open item is (0 when it is not overdue)."""
    return (today - due_on).days if is_overdue(status, due_on, today) else 0


def needs_reminder(
    status: str, due_on: dt.date, last_reminded_on: dt.date | None, today: dt.date
) -> bool:
    """Overdue and not yet reminded today: at most one reminder per item per overdue day."""
    if not is_overdue(status, due_on, today):
        return False
    return last_reminded_on is None or last_reminded_on < today


def tone(status: str, due_on: dt.date, today: dt.date) -> str:
    """How the page colours an item: done, cancelled, overdue (red), due today, open."""
    if status != ItemStatus.OPEN:
        return str(status)
    if today > due_on:
        return "overdue"
    if today == due_on:
        return "due_today"
    return "open"
