"""HolidayDay: the editable table of days off and make-up workdays behind the calendar."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shuren.workdays import sources


class HolidayKind(models.TextChoices):
    OFF = sources.OFF, _("Day off")
    MAKEUP = sources.MAKEUP, _("Make-up workday")


class HolidayDay(models.Model):
    """One day that differs from the plain Monday-to-Friday week (rules-cn.md section 3).

    Loaded from workdays/data/cn-YYYY.json by migration or ``manage.py loadholidays``; editable
    in the admin. ``year`` is the year of the notice the day belongs to, which is what tells
    the calendar that a year is covered at all.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=6, choices=HolidayKind.choices)
    name = models.CharField(_("holiday"), max_length=30, help_text=_("For example 春节 or 国庆节."))
    year = models.PositiveSmallIntegerField(_("calendar year"), db_index=True)
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("Not yet confirmed by the State Council notice for this year."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday day")
        verbose_name_plural = _("holiday calendar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=HolidayKind.values), name="holidayday_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name} ({self.get_kind_display()})"

    def clean(self) -> None:
        errors = {}
        if self.date and self.kind == HolidayKind.MAKEUP and self.date.weekday() < 5:
            errors["kind"] = _("A make-up workday must be a Saturday or a Sunday.")
        if self.date and self.year and self.date.year not in (self.year - 1, self.year):
            errors["year"] = _("The date must fall in this calendar year (or its December before).")
        if errors:
            raise ValidationError(errors)
