"""The audit trail in the admin: the auditor reads it; nobody adds, changes or deletes."""

from __future__ import annotations

from django.contrib import admin

from shuren.access.admin import AuditorOnlyAdmin
from shuren.audit.models import AuditAnchor, AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditorOnlyAdmin):
    list_display = ["seq", "at", "kind", "actor_username", "ip", "target_type", "target_label"]
    list_filter = ["kind"]
    search_fields = ["actor_username", "target_label"]
    show_full_result_count = False


@admin.register(AuditAnchor)
class AuditAnchorAdmin(AuditorOnlyAdmin):
    list_display = ["seq", "purged_before", "at", "actor_username"]
