"""Photo files on disk that no CasePhoto row names, removed by the periodic sweep a day later.

A photo reaches the disk when its row is saved, inside the action's transaction. If that
transaction then rolls back (a failed statement after the photo, a retry answered with the
first case), the row is gone and the file stays; so does the file of a photo whose case was
deleted in the admin. Files younger than ORPHAN_AGE are left alone: their transaction may still
be running.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.core.files.storage import Storage
from django.utils import timezone

from shuren.cases.models import CasePhoto

ROOT = "cases"  # where case_photo_path puts every photo
ORPHAN_AGE = dt.timedelta(hours=24)
BATCH = 500


def remove_orphan_photos(
    *, now: dt.datetime | None = None, older_than: dt.timedelta = ORPHAN_AGE
) -> int:
    """Delete the photo files that no row names and that are older than `older_than`; returns
    how many were deleted."""
    storage = CasePhoto._meta.get_field("file").storage
    cutoff = (now or timezone.now()) - older_than
    removed = 0
    for names in _files_in_batches(storage, ROOT):
        named = set(CasePhoto.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names:
            if name in named or storage.get_modified_time(name) >= cutoff:
                continue
            storage.delete(name)
            removed += 1
    return removed


def _files_in_batches(storage: Storage, directory: str) -> Iterator[list[str]]:
    if not storage.exists(directory):
        return
    subdirectories, files = storage.listdir(directory)
    names = [f"{directory}/{name}" for name in sorted(files)]
    for start in range(0, len(names), BATCH):
        yield names[start : start + BATCH]
    for sub in sorted(subdirectories):
        yield from _files_in_batches(storage, f"{directory}/{sub}")
