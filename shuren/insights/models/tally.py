"""The rollup of matters: counters per day and per month, area and category, kept exact by the
actions (insights/tallies.py) and checked against a recount (`manage.py checkrollups`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shuren.cases.models import Category

# Counted by the day a matter was reported (Asia/Shanghai) ...
REPORTED_COUNTERS = (
    "reported",  # every matter reported
    "counted",  # not rejected (not a matter) and not merged (a duplicate)
    "rejected",
    "merged",
    "open",  # counted and not settled yet
    "never_beyond",  # counted and never sent beyond the subdistrict (tier 5)
    "reached_1",  # counted, by the highest tier reached
    "reached_2",
    "reached_3",
    "reached_4",
    "reached_5",
    "status_reported",  # counted, by their status now
    "status_accepted",
    "status_in_progress",
    "status_resolved",
    "status_followed_up",
    "status_closed",
)
# ... and by the day it was settled, for the settled ones.
SETTLED_COUNTERS = (
    "settled",
    "settled_1",  # by the tier it was settled at
    "settled_2",
    "settled_3",
    "settled_4",
    "settled_5",
    "on_time_known",  # with a resolve deadline
    "on_time",  # resolved by it
    "followed_up",  # with the reporter's answer at follow-up
    "satisfied",
    "days_taken",  # the sum of calendar days from reported to settled
)
COUNTERS = REPORTED_COUNTERS + SETTLED_COUNTERS


class Grain(models.TextChoices):
    DAY = "d", _("day")
    MONTH = "m", _("month")
    YEAR = "y", _("year")


class Tally(models.Model):
    """One day's, month's or year's counters for an area (the path of the matters' place cut at
    the estate, lane or street level) and a category. A figure for a period sums the whole years
    inside it, then the whole months, then the days at its ends."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    area = models.CharField(max_length=40)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")

    reported = models.IntegerField(default=0)
    counted = models.IntegerField(default=0)
    rejected = models.IntegerField(default=0)
    merged = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    never_beyond = models.IntegerField(default=0)
    reached_1 = models.IntegerField(default=0)
    reached_2 = models.IntegerField(default=0)
    reached_3 = models.IntegerField(default=0)
    reached_4 = models.IntegerField(default=0)
    reached_5 = models.IntegerField(default=0)
    status_reported = models.IntegerField(default=0)
    status_accepted = models.IntegerField(default=0)
    status_in_progress = models.IntegerField(default=0)
    status_resolved = models.IntegerField(default=0)
    status_followed_up = models.IntegerField(default=0)
    status_closed = models.IntegerField(default=0)
    settled = models.IntegerField(default=0)
    settled_1 = models.IntegerField(default=0)
    settled_2 = models.IntegerField(default=0)
    settled_3 = models.IntegerField(default=0)
    settled_4 = models.IntegerField(default=0)
    settled_5 = models.IntegerField(default=0)
    on_time_known = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    followed_up = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    days_taken = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "start", "area", "category"], name="tally_unique"
            ),
        ]
        indexes = [models.Index(fields=["grain", "area", "start"], name="tally_area_start")]

    def __str__(self) -> str:
        return f"{self.grain} {self.start} {self.area} {self.category_id}"
