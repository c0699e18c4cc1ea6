"""The Open311 keys in the admin: read-only; revoking goes through the key's action."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shuren.api.open311.actions import revoke_open311_key
from shuren.api.open311.keys import Open311Key


@admin.register(Open311Key)
class Open311KeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["name", "prefix", "created_at", "revoked_at"]
    exclude = ["key_hash", "version"]
    actions = ["revoke"]

    # Keys are made by `manage.py createopen311key NAME`, which prints the secret once.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    # The detail page is read-only; "change" is asked only of the list, for the revoke action.
    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Open311Key, form: object, change: bool) -> None:
        # Never reached: no key's page is editable. Keys change only through their actions.
        raise PermissionDenied

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[Open311Key]) -> None:
        revoked = 0
        for key in queryset.filter(revoked_at__isnull=True):
            try:
                revoke_open311_key(actor=request.user, key=key)  # type: ignore[arg-type]
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
