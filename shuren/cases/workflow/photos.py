"""Photos on a case: stored by the report and by a note that brings a neighbour's photos.

Their content was checked and stripped of EXIF by the intake form (intake/photos.py) before
an action stores them; a photo reaches the disk inside the action's transaction, so a rollback
leaves its file behind for intake/photo_files.py to remove.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from shuren.cases.models import Case, CasePhoto


def check_photo_count(photos: Sequence[Any]) -> None:
    if len(photos) > CasePhoto.MAX_PER_CASE:
        raise ValidationError(
            _("At most %(n)d photos per case.") % {"n": CasePhoto.MAX_PER_CASE},
            code="too_many_photos",
        )


def attach_photos(case: Case, photos: Sequence[File[Any]], actor: Any) -> None:
    for photo in photos:
        CasePhoto.objects.create(
            case=case,
            file=photo,
            content_type=str(getattr(photo, "content_type", ""))[:50],
            size=photo.size or 0,
            uploaded_by=actor,
        )
