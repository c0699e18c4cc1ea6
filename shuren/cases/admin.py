"""Cases in the admin: categories and deadline policies are edited here; case state never is.

The case's state is read-only; the admin actions call cases/actions.py like every other door.
Categories and policies are configuration rows, written by the kernel's row action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from shuren.cases.actions import accept_case, close_case
from shuren.cases.models import (
    Case,
    CaseEvent,
    CaseParty,
    CasePhoto,
    Category,
    DeadlinePolicy,
    visible_q,
)
from shuren.kernel.admin import RowActionsAdmin
from shuren.kernel.versions import StaleVersion


@admin.register(Category)
class CategoryAdmin(RowActionsAdmin):
    list_display = [
        "code",
        "label",
        "parent",
        "may_be_public",
        "estate_tier",
        "sort_order",
        "active",
    ]
    list_editable = ["sort_order", "active"]
    list_filter = ["active", "may_be_public", "estate_tier", "parent"]
    search_fields = ["code", "name"]

    @admin.display(description=pgettext_lazy("category", "name"))
    def label(self, obj: Category) -> str:
        return obj.label


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(RowActionsAdmin):
    list_display = ["stage", "category", "risk", "amount", "unit", "note"]
    list_editable = ["amount", "unit"]
    list_filter = ["stage", "unit", "risk"]
    list_select_related = ["category"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = readonly_fields = (
        "at",
        "kind",
        "actor",
        "from_status",
        "to_status",
        "from_tier",
        "to_tier",
        "note",
    )


class CasePartyInline(ReadOnlyInline):
    model = CaseParty
    fields = readonly_fields = ("person", "side")


class CasePhotoInline(ReadOnlyInline):
    model = CasePhoto
    fields = readonly_fields = ("file", "content_type", "size", "uploaded_at")


def _run_each(
    request: HttpRequest,
    queryset: QuerySet[Case],
    modeladmin: admin.ModelAdmin,
    act: Callable[[Case], Any],
    done_message: Callable[[int], str],
) -> None:
    done = 0
    for case in queryset:
        try:
            act(case)
            done += 1
        except (ValidationError, PermissionDenied, StaleVersion) as exc:
            text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            modeladmin.message_user(request, f"{case.number}: {text}", messages.WARNING)
    if done:
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "category",
        "status",
        "current_tier",
        "overdue",
        "risk",
        "reported_at",
    ]
    list_filter = ["status", "current_tier", "overdue", "risk", "channel", "category"]
    search_fields = ["number", "title"]
    list_select_related = ["category"]
    date_hierarchy = "reported_at"
    inlines = [CasePartyInline, CasePhotoInline, CaseEventInline]
    actions = ["accept_selected", "close_selected"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        # The admin, like every list, shows only what the user's scope holds; for everyone, a
        # superuser too (a superuser flag is not a post: issue 10).
        return super().get_queryset(request).filter(visible_q(request.user))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Case._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new cases come in through report_case (web, API, import)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # every field is read-only; state changes through the actions below

    @admin.action(description=_("Accept the selected cases"))
    def accept_selected(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        _run_each(
            request,
            queryset,
            self,
            lambda case: accept_case(actor=request.user, case=case),  # type: ignore[arg-type]
            lambda n: ngettext("Accepted %(n)d case.", "Accepted %(n)d cases.", n) % {"n": n},
        )

    @admin.action(description=_("Close the selected cases"))
    def close_selected(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        _run_each(
            request,
            queryset,
            self,
            lambda case: close_case(actor=request.user, case=case),  # type: ignore[arg-type]
            lambda n: ngettext("Closed %(n)d case.", "Closed %(n)d cases.", n) % {"n": n},
        )
