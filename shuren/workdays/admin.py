"""Admin for the holiday calendar: staff correct a day or enter next year's notice by hand,
each through the kernel's row action (an event records who changed the calendar)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from shuren.kernel.admin import RowActionsAdmin
from shuren.workdays.current import invalidate_calendar
from shuren.workdays.models import HolidayDay


@admin.register(HolidayDay)
class HolidayDayAdmin(RowActionsAdmin):
    list_display = ["date", "weekday", "kind", "name", "year", "provisional", "updated_at"]
    list_filter = ["year", "kind", "provisional"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date"]
    readonly_fields = ["updated_at"]
    fields = ["date", "kind", "name", "year", "provisional", "updated_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        # django-rules answers has_perm but not has_module_perms, so ask for the model perm.
        return request.user.has_perm("workdays.view_holidayday")

    @admin.display(description=_("weekday"))
    def weekday(self, obj: HolidayDay) -> str:
        return date_format(obj.date, "l")

    # The cached calendar is dropped explicitly after each write (see calendar.current_calendar);
    # on commit, so a rolled-back edit never reaches the cache.
    def save_model(self, request: HttpRequest, obj: HolidayDay, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(invalidate_calendar)

    def delete_model(self, request: HttpRequest, obj: HolidayDay) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(invalidate_calendar)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[HolidayDay]) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(invalidate_calendar)
