"""Mediation cases in the admin: read-only, scoped like every list (a case is its organisation's:
only its mediators see it, a superuser flag is no post), parties' identity data masked. Every
change goes through the actions, on the case page or the API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shuren.access.masking import mask_id_number, mask_phone
from shuren.kernel.admin import ReadOnlyInline
from shuren.mediation.models import Document, FollowUp, Mediation, MediationEvent, Party, Session
from shuren.mediation.web.case_page import mask_address


class PartyInline(ReadOnlyInline):
    model = Party
    fields = readonly_fields = (
        "role",
        "name",
        "gender",
        "masked_id_number",
        "masked_phone",
        "masked_address",
        "consent",
    )

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj: Party) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Party) -> str:
        return mask_phone(obj.phone)

    @admin.display(description=_("address"))
    def masked_address(self, obj: Party) -> str:
        return mask_address(obj.address)


class SessionInline(ReadOnlyInline):
    model = Session
    fields = readonly_fields = ("held_at", "venue", "record")


class FollowUpInline(ReadOnlyInline):
    model = FollowUp
    fields = readonly_fields = ("visited_on", "performance", "satisfaction", "recurred")


class DocumentInline(ReadOnlyInline):
    model = Document
    fields = readonly_fields = ("kind", "title", "added_at")


class EventInline(ReadOnlyInline):
    model = MediationEvent
    fields = readonly_fields = ("at", "kind", "actor", "from_status", "to_status", "note")


@admin.register(Mediation)
class MediationAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "organisation", "dispute_type", "status", "due_on"]
    list_filter = ["status", "dispute_type", "source", "organisation"]
    search_fields = ["number", "title"]
    list_select_related = ["organisation"]
    date_hierarchy = "registered_on"
    inlines = [PartyInline, SessionInline, FollowUpInline, DocumentInline, EventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mediation]:
        return super().get_queryset(request).visible_to(request.user)  # type: ignore[attr-defined]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Mediation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registered through actions.register_mediation (the pages, the API)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
