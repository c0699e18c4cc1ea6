"""The actions of a register built in the background: asked for (queued, and the task enqueued
once the request's transaction commits), started, finished (the file kept, the owner told
with a link) or failed (the owner told). Each is one event on the kernel (`register.*`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shuren.insights.figures import Period
from shuren.insights.models.exports import KEEP_DAYS, ExportFile, ExportStatus
from shuren.insights.register.export import EXPORT_PERM
from shuren.kernel.action import change, create
from shuren.kernel.outbox import Tell
from shuren.places.models import Place


def _data(export: ExportFile) -> dict[str, Any]:
    return {
        "place": export.place_id,
        "start": export.start.isoformat(),
        "end": export.end.isoformat(),
        "unmasked": export.unmasked,
    }


def queue_register_export(
    *, actor: Any, place: Place, period: Period, unmask: bool = False, reason: str = ""
) -> ExportFile:
    """Ask for a register too large to build in the request (tasks.ask_for_register then
    enqueues the task that builds it)."""
    with create(actor=actor, perm=EXPORT_PERM, on=place) as act:
        export: ExportFile = act.created(
            ExportFile.objects.create(
                owner=actor,
                place=place,
                start=period.start,
                end=period.end,
                unmasked=unmask,
                reason=reason.strip()[:200],
                created_at=act.at,
            )
        )
        act.record_change("register.queued", data=_data(export))
        return export


def start_register_export(*, export: ExportFile) -> ExportFile:
    """The worker took it up (the system acts)."""
    with change(ExportFile.objects, export.pk, actor=None, perm=EXPORT_PERM) as act:
        export = act.subject
        if export.status != ExportStatus.QUEUED:
            act.unchanged()
            return export
        export.status = ExportStatus.RUNNING
        act.save(["status"])
        act.record_change("register.started", data=_data(export))
        return export


def finish_register_export(
    *, export: ExportFile, file: str, rows: int, at: dt.datetime | None = None
) -> ExportFile:
    """The file is written: keep its name, and tell its owner where to download it."""
    with change(ExportFile.objects, export.pk, actor=None, perm=EXPORT_PERM, at=at) as act:
        export = act.subject
        export.status = ExportStatus.READY
        export.file = file
        export.rows = rows
        export.finished_at = act.at
        export.expires_at = act.at + dt.timedelta(days=KEEP_DAYS)
        act.save(["status", "file", "rows", "finished_at", "expires_at"])
        act.record_change(
            "register.ready",
            data={**_data(export), "rows": rows},
            tell=Tell.users(
                "register.ready",
                [export.owner],
                rows=rows,
                start=export.start.isoformat(),
                end=export.end.isoformat(),
                place=export.place.name,
                link=reverse("insights:register-download", kwargs={"pk": export.pk}),
            ),
        )
        return export


def fail_register_export(*, export: ExportFile, error: str) -> ExportFile:
    """It could not be built: the owner is told (the reason is for the administrator)."""
    with change(ExportFile.objects, export.pk, actor=None, perm=EXPORT_PERM) as act:
        export = act.subject
        export.status = ExportStatus.FAILED
        export.error = error[:200]
        export.finished_at = act.at
        act.save(["status", "error", "finished_at"])
        act.record_change(
            "register.failed",
            data=_data(export),
            tell=Tell.users(
                "register.failed",
                [export.owner],
                start=export.start.isoformat(),
                end=export.end.isoformat(),
                place=export.place.name,
                link=reverse("insights:register-files"),
            ),
        )
        return export


def remove_expired_export(*, export: ExportFile, at: dt.datetime | None = None) -> ExportFile:
    """A file past its keeping date is deleted (the record of who exported what stays); the
    file goes once the row says so, so a rollback never leaves a row naming a deleted file
    that could still be served."""
    with change(ExportFile.objects, export.pk, actor=None, perm=EXPORT_PERM, at=at) as act:
        export = act.subject
        name = export.file
        if not name or export.expires_at is None or export.expires_at > act.at:
            act.unchanged()
            return export
        export.file = ""
        act.save(["file"])
        act.record_change("register.removed", data=_data(export))
        transaction.on_commit(lambda: default_storage.delete(name))
        return export


def remove_expired_exports(*, now: dt.datetime | None = None) -> int:
    """Every register file past its keeping date (run by `manage.py sweepoverdue`'s loop in the
    demo, by cron in production): how many were removed."""
    now = now or timezone.now()
    expired = ExportFile.objects.exclude(file="").filter(expires_at__lte=now).only("pk")
    for export in expired:
        remove_expired_export(export=export, at=now)
    return len(expired)
