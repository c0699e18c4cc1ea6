"""Consultation in the admin: read-only and scoped like every list (a vote is its organisers' and
its electors', an elevator project its staff's and its owners', a meeting its organisers' and
invitees'). Every change goes through the actions, on the pages or the API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from shuren.deliberation.models import (
    AffectedOwner,
    Ballot,
    Decision,
    ElevatorEvent,
    ElevatorProject,
    Meeting,
    MeetingEvent,
    Objection,
    Vote,
    VoteEvent,
)
from shuren.kernel.admin import ReadOnlyInline


class BallotInline(ReadOnlyInline):
    model = Ballot
    fields = readonly_fields = ("owner_key", "choice", "origin", "owner_name", "cast_at")


class VoteEventInline(ReadOnlyInline):
    model = VoteEvent
    fields = readonly_fields = ("kind", "actor", "at", "note")


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "matter", "place", "status", "opens_at", "closes_at"]
    list_filter = ["status", "matter"]
    search_fields = ["title"]
    list_select_related = ["place"]
    inlines = [BallotInline, VoteEventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Vote]:
        return Vote.objects.visible_to(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Vote._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # called through actions.call_vote (the pages, the API)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AffectedOwnerInline(ReadOnlyInline):
    model = AffectedOwner
    fields = readonly_fields = ("household", "how", "consent", "person", "decided_on", "note")


class ObjectionInline(ReadOnlyInline):
    model = Objection
    fields = readonly_fields = ("name", "text", "filed_at", "case", "mediation_team", "status")


class ElevatorEventInline(ReadOnlyInline):
    model = ElevatorEvent
    fields = readonly_fields = ("kind", "from_stage", "to_stage", "actor", "at", "note")


@admin.register(ElevatorProject)
class ElevatorProjectAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "place", "stage", "in_service_on", "from_records"]
    list_filter = ["stage", "from_records"]
    search_fields = ["title"]
    list_select_related = ["place"]
    inlines = [AffectedOwnerInline, ObjectionInline, ElevatorEventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ElevatorProject]:
        return ElevatorProject.objects.visible_to(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in ElevatorProject._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registered through actions.create_project

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DecisionInline(ReadOnlyInline):
    model = Decision
    fk_name = "meeting"
    fields = readonly_fields = ("text", "owner_person", "owner_team", "due_on", "status", "note")


class MeetingEventInline(ReadOnlyInline):
    model = MeetingEvent
    fields = readonly_fields = ("kind", "actor", "at", "note")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "kind", "place", "status", "starts_at", "minutes_status"]
    list_filter = ["status", "kind"]
    search_fields = ["title"]
    list_select_related = ["place"]
    exclude = ["token"]
    inlines = [DecisionInline, MeetingEventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Meeting]:
        return Meeting.objects.visible_to(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Meeting._meta.fields if f.name != "token"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # called through actions.call_meeting (the pages)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
