"""Notifications in the admin: read-only, for support."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shuren.kernel.admin import runs_the_system
from shuren.notify.actions import rerun_deliveries
from shuren.notify.models import Delivery, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "delivered_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    list_select_related = ["recipient"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # a notification is the record that someone was told


DELIVERY_FIELDS = (
    "channel",
    "outbox",
    "recipient",
    "robot",
    "status",
    "attempts",
    "not_before",
    "claimed_at",
    "sent_at",
    "error",
    "created_at",
)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    """Deliveries by e-mail and WeCom: what waits, what was given up and why; given-up rows
    are re-run once their cause (a wrong robot key, the mail server) is fixed. What a message
    says is left out: the administrator runs the system, not the residents' matters."""

    list_display = ["pk", "channel", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel"]
    fields = DELIVERY_FIELDS
    readonly_fields = DELIVERY_FIELDS
    actions = ["rerun"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return runs_the_system(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return runs_the_system(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Run the given-up deliveries again"))
    def rerun(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = rerun_deliveries(pks=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(n)d delivery is queued again.", "%(n)d deliveries are queued again.", count)
            % {"n": count},
            messages.SUCCESS,
        )
