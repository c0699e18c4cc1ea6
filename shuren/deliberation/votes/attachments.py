"""The papers attached to a ballot staff entered (the scan, the written authorisation): which
files are accepted (PDF, JPEG or PNG by their first bytes, at most 10 MB) and how they are kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from shuren.deliberation.votes.choices import PaperKind
from shuren.deliberation.votes.models import Ballot, BallotPaper

# The file's own first bytes decide what it is, never its name or the browser's word for it.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
SERVED_TYPES = frozenset(t for _sig, t, _ext in SIGNATURES)


def paper_type(file: File[Any]) -> tuple[str, str]:
    """The content type and extension of an accepted paper; refused in words otherwise."""
    size = file.size or 0
    if size > BallotPaper.MAX_BYTES:
        raise ValidationError(
            _("A scan may be at most 10 MB; scan it again at a lower resolution."),
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty; choose it again."), code="empty")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if isinstance(head, str):
        head = head.encode()
    for signature, content_type, ext in SIGNATURES:
        if head.startswith(signature):
            return content_type, ext
    raise ValidationError(
        _("Attach a PDF, a JPEG or a PNG (a scan or a photo of the paper)."), code="file_type"
    )


def check_papers(origin: str, paper: File[Any] | None, authorisation: File[Any] | None) -> None:
    """A paper ballot comes with its scan; a proxy's with the owner's written authorisation
    (and its ballot's scan, when there is one)."""
    if origin == "paper" and paper is None:
        raise ValidationError(_("Attach the scan of the paper ballot."), code="paper_missing")
    if origin == "proxy" and authorisation is None:
        raise ValidationError(
            _("Attach the owner's written authorisation of the proxy."),
            code="authorisation_missing",
        )
    for file in (paper, authorisation):
        if file is not None:
            paper_type(file)


def attach(ballot: Ballot, kind: str, file: File[Any], actor: Any, at: dt.datetime) -> BallotPaper:
    """Write the paper beside its ballot (called last in the action, after every check)."""
    assert kind in PaperKind.values
    content_type, ext = paper_type(file)
    paper = BallotPaper(
        ballot=ballot,
        kind=kind,
        content_type=content_type,
        size=file.size or 0,
        added_by=actor,
        added_at=at,
    )
    paper.file.save(f"{kind}.{ext}", file, save=False)
    paper.save()
    return paper
