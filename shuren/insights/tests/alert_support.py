"""The alert tests' clock: the sweeps' "now" and days before it."""

from __future__ import annotations

import datetime as dt

from shuren.workdays.calendar import SHANGHAI

# Monday 30 March 2026, 10:00 in Guicheng: the sweeps' "now".
NOW = dt.datetime(2026, 3, 30, 10, 0, tzinfo=SHANGHAI)


def days_ago(n: float) -> dt.datetime:
    return NOW - dt.timedelta(days=n)
