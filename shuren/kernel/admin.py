"""The kernel in the admin: the outbox and the change log, read-only, for the system
administrator; and what every admin needs to save through actions (adopt, RowActionsAdmin).

The outbox shows what is waiting, what failed and why, and puts given-up rows back in the
queue once their cause is fixed. What a message says (its parameters: titles of matters) is
left out: the administrator runs the system, not the residents' matters (三员分立).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks.base import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from shuren.kernel import outbox, tasks
from shuren.kernel.models import Event, Outbox, TaskRerun
from shuren.kernel.rows import delete_row, save_row

OUTBOX_FIELDS = (
    "created_at",
    "kind",
    "subject_type",
    "subject_id",
    "event_type",
    "event_id",
    "processed_at",
    "attempts",
    "retry_at",
    "given_up",
    "error",
)


# Who runs the system: kernel.tasks owns the predicate (its re-run action checks it too).
runs_the_system = tasks.runs_the_system


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    """A record's rows shown under it, never edited here: every change is an action."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Outbox)
class OutboxAdmin(ReadOnly):
    list_display = [
        "pk",
        "kind",
        "subject_type",
        "subject_id",
        "created_at",
        "processed_at",
        "attempts",
        "given_up",
    ]
    list_filter = ["given_up", "kind", "subject_type"]
    fields = OUTBOX_FIELDS
    readonly_fields = OUTBOX_FIELDS
    actions = ["retry_given_up"]

    @admin.action(description=_("Put the given-up rows back in the queue"))
    def retry_given_up(self, request: HttpRequest, queryset: QuerySet[Outbox]) -> None:
        count = outbox.retry(pks=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(n)d row is queued again.", "%(n)d rows are queued again.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return runs_the_system(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return runs_the_system(request.user)


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ["at", "kind", "subject_type", "subject_id", "actor"]
    list_filter = ["kind", "subject_type"]
    list_select_related = ["actor"]
    readonly_fields = ["at", "kind", "subject_type", "subject_id", "actor", "note", "data"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return runs_the_system(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return runs_the_system(request.user)


# The database backend's task results: django-tasks-db's read-only admin, for the system
# administrator only, with the re-run of the tasks that failed for good (kernel.tasks).
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = (  # type: ignore[assignment]
        "task_name",
        "status",
        "exception_class_path",
        "enqueued_at",
        "finished_at",
        "queue_name",
    )
    list_filter = ("status", "queue_name", "exception_class_path")
    actions = ["rerun"]

    @admin.action(description=_("Run the failed tasks again"))
    def rerun(self, request: HttpRequest, queryset: QuerySet[DBTaskResult[Any, Any]]) -> None:
        done = 0
        for result in queryset.filter(status=TaskResultStatus.FAILED):
            try:
                tasks.rerun_failed_task(actor=request.user, result_id=str(result.pk))
            except ValueError:
                continue  # an attempt that was retried already: its retry is queued
            else:
                done += 1
        skipped = queryset.count() - done
        self.message_user(
            request,
            ngettext("%(n)d task is queued again.", "%(n)d tasks are queued again.", done)
            % {"n": done},
            messages.SUCCESS if done else messages.WARNING,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d task was not run again: it had not failed, or it is retried already.",
                    "%(n)d tasks were not run again: they had not failed, or they are retried "
                    "already.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return runs_the_system(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return runs_the_system(request.user)


@admin.register(TaskRerun)
class TaskRerunAdmin(ReadOnly):
    list_display = ["at", "task_path", "error", "failed_id", "by"]
    list_select_related = ["by"]
    readonly_fields = ["at", "task_path", "error", "failed_id", "by"]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return runs_the_system(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return runs_the_system(request.user)


def adopt(obj: Model, saved: Model) -> None:
    """Make the admin's unsaved form object stand for the row an action created, so the admin
    logs it and redirects to it as if it had saved it itself."""
    for field in saved._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db


class RowActionsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Admins of configuration tables without domain verbs (categories, deadline policies,
    holidays): every add, change and delete is the kernel's row action, which leaves an event."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = save_row(actor=request.user, obj=obj, fields=form.changed_data if change else None)
        adopt(obj, saved)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        delete_row(actor=request.user, obj=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            delete_row(actor=request.user, obj=obj)
