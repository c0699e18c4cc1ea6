"""Insights in the admin: alerts read-only (each reader's own, as every list is scoped); the
lexicon of risky words edited through the kernel's row action, which leaves an event."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from shuren.insights.models.alerts import Alert, RiskyWord
from shuren.kernel.admin import ReadOnly, RowActionsAdmin


@admin.register(RiskyWord)
class RiskyWordAdmin(RowActionsAdmin):
    list_display = ["word", "level", "active"]
    list_editable = ["level", "active"]
    list_filter = ["level", "active"]
    search_fields = ["word"]


@admin.register(Alert)
class AlertAdmin(ReadOnly):
    list_display = ["created_at", "level", "kind", "place", "status"]
    list_filter = ["level", "kind", "status"]
    list_select_related = ["place"]
    date_hierarchy = "created_at"
    fields = readonly_fields = (
        "kind",
        "level",
        "status",
        "place",
        "case",
        "category",
        "created_at",
        "acknowledged_by",
        "acknowledged_at",
        "closed_by",
        "closed_at",
        "close_note",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Alert]:
        # Like every list, only the alerts the user answers for; a superuser flag is no post.
        return super().get_queryset(request).filter(pk__in=Alert.objects.visible_to(request.user))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_staff", False))
