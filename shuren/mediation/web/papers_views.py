"""The mediation papers as downloads from the case page: the agreement, the registration form, the
follow-up record and the whole case file, each a PDF made by papers.py for a case the user may see
(out of scope, missing or a paper the case does not have yet: 404 alike), each download in the
audit trail, and a page saying what to install (503) where this server cannot make PDFs."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.mediation import papers
from shuren.mediation.models import FollowUp, Mediation

PDF = "application/pdf"


@dataclass(frozen=True)
class Paper:
    key: str  # its address: papers/<key>.pdf, and the URL name paper_<key with _>
    label: Promise  # the link's words
    # The file's names: the paper's own Chinese name (the papers are Chinese documents whoever
    # prints them) and an ASCII one for the clients that cannot read filename*.
    stem: str
    ascii_stem: str
    write: Callable[[Mediation], bytes]
    exists: Callable[[Mediation], bool]

    @property
    def url_name(self) -> str:
        return "paper_" + self.key.replace("-", "_")


def _has_agreement(m: Mediation) -> bool:
    return bool(m.agreement_number)


def _has_follow_up(m: Mediation) -> bool:
    return FollowUp.objects.filter(mediation=m).exists()


def _always(m: Mediation) -> bool:
    return True


# In the order the case page lists them.
PAPERS: dict[str, Paper] = {
    p.key: p
    for p in (
        Paper(
            "agreement",
            _("Mediation agreement (PDF)"),
            "调解协议书",
            "mediation-agreement",
            papers.agreement_pdf,
            _has_agreement,
        ),
        Paper(
            "registration",
            _("Application and registration form (PDF)"),
            "人民调解申请书",
            "mediation-application",
            papers.registration_pdf,
            _always,
        ),
        Paper(
            "follow-up",
            _("Follow-up visit record (PDF)"),
            "回访记录",
            "follow-up-record",
            papers.follow_up_pdf,
            _has_follow_up,
        ),
        Paper(
            "file",
            _("The whole case file (PDF)"),
            "调解卷宗",
            "case-file",
            papers.case_file_pdf,
            _always,
        ),
    )
}


def downloads(m: Mediation) -> dict[str, Any]:
    """What the case page's papers_links.html shows: the links of the papers this case has, or
    (instead of them) what this server lacks to make PDFs."""
    problem = papers.papers_available()
    links = [
        {"label": p.label, "url": reverse(f"mediation:{p.url_name}", args=[m.pk])}
        for p in PAPERS.values()
        if problem is None and p.exists(m)
    ]
    return {"paper_links": links, "papers_problem": problem}


def disposition(name: str, ascii_name: str) -> str:
    """An attachment named in UTF-8 (RFC 6266 filename*) with a plain ASCII name beside it."""
    plain = re.sub(r"[^A-Za-z0-9._-]", "-", ascii_name)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _download(request: AuthenticatedRequest, pk: int, key: str) -> HttpResponse:
    paper = PAPERS[key]
    m = get_object_or_404(Mediation.objects.visible_to(request.user), pk=pk)
    # A paper the case does not have yet is not there, as for a case that is not.
    if not paper.exists(m):
        raise Http404
    problem = papers.papers_available()
    if problem is not None:
        response = render(
            request,
            "mediation/papers_unavailable.html",
            {"m": m, "problem": problem},
            status=503,
        )
        response["Cache-Control"] = "no-store"
        return response
    content = paper.write(m)
    # The papers carry the parties' names and addresses: who took which, as for every export.
    record(
        Kind.EXPORT,
        request=request,
        target=m,
        detail={"file": f"{key}.pdf", "number": m.number},
    )
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = disposition(
        f"{paper.stem}-{m.number}.pdf", f"{paper.ascii_stem}-{m.number}.pdf"
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def agreement(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "agreement")


@login_required
@require_GET
def registration(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "registration")


@login_required
@require_GET
def follow_up(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "follow-up")


@login_required
@require_GET
def case_file(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "file")
