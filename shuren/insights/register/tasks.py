"""The background task that builds a large case register (django-tasks; the database backend's
worker, `manage.py db_worker`, runs it: `make demo` starts one).

The file is built as its owner, with their scope and permissions as they are when it runs (a
post that ended in between exports nothing), in their language, and kept under MEDIA_ROOT in
a private folder that no URL serves: the download view checks the owner first.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from shuren.insights.figures import Period
from shuren.insights.models.exports import ExportFile, ExportStatus
from shuren.insights.register.actions import (
    fail_register_export,
    finish_register_export,
    queue_register_export,
    start_register_export,
)
from shuren.insights.register.export import build_register
from shuren.kernel.tasks import enqueue_on_commit
from shuren.places.models import Place

logger = logging.getLogger(__name__)
FOLDER = "private/register"


def ask_for_register(
    *, actor: Any, place: Place, period: Period, unmask: bool = False, reason: str = ""
) -> ExportFile:
    """Queue the export, and enqueue its task once the row is committed (the worker must find
    the row the task names; a request's transaction commits first)."""
    export = queue_register_export(
        actor=actor, place=place, period=period, unmask=unmask, reason=reason
    )
    pk = export.pk
    enqueue_on_commit(build_register_file, pk)
    return export


def file_name(export: ExportFile) -> str:
    # Never the place's name or the owner's: a random name in the private folder.
    return f"{FOLDER}/{export.owner_id}/{uuid.uuid4().hex}.xlsx"


def build_export(export: ExportFile) -> ExportFile:
    """Build one queued export and mark it ready (or failed); what the task does."""
    export = start_register_export(export=export)
    if export.status != ExportStatus.RUNNING:
        return export
    owner = export.owner
    try:
        with translation.override(owner.language or settings.LANGUAGE_CODE):
            built = build_register(
                user=owner,
                place=export.place,
                period=Period(export.start, export.end),
                unmask=export.unmasked,
                reason=export.reason,
                export_id=export.pk,
            )
        name = default_storage.save(file_name(export), ContentFile(built.content))
    except PermissionDenied:
        return fail_register_export(export=export, error=_("You may no longer export this place."))
    except Exception as error:
        logger.exception("the case register %s could not be built", export.pk)
        return fail_register_export(export=export, error=type(error).__name__)
    return finish_register_export(export=export, file=name, rows=built.rows)


@task()
def build_register_file(export_id: int) -> str:
    export = ExportFile.objects.select_related("owner", "place").filter(pk=export_id).first()
    if export is None:
        return "missing"
    return str(build_export(export).status)
