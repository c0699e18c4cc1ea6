"""The files of a vote: the public notice of its result as a PDF (for its organisers and
electors, once counted) and a ballot's papers (the scan, the written authorisation), served
only to the vote's organisers and never straight from MEDIA_ROOT."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.deliberation.votes.attachments import SERVED_TYPES
from shuren.deliberation.votes.choices import Status
from shuren.deliberation.votes.models import BallotPaper
from shuren.deliberation.votes.notice import notice_available, notice_pdf
from shuren.deliberation.votes.rules import organises
from shuren.deliberation.web.vote_views import visible_vote

PDF = "application/pdf"


@login_required
@require_GET
def notice(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """表决结果公告 (PDF): counts only, as it is posted in the estate."""
    v = visible_vote(request.user, pk)
    if v.status != Status.CLOSED or not v.result:
        raise Http404  # no result yet: no notice of it
    problem = notice_available()
    if problem is not None:
        response = render(
            request,
            "deliberation/votes/notice_unavailable.html",
            {"vote": v, "problem": problem},
            status=503,
        )
        response["Cache-Control"] = "no-store"
        return response
    response = HttpResponse(notice_pdf(v), content_type=PDF)
    response["Content-Disposition"] = (
        f'attachment; filename="vote-{v.pk}-notice.pdf"; '
        f"filename*=UTF-8''%E8%A1%A8%E5%86%B3%E7%BB%93%E6%9E%9C%E5%85%AC%E5%91%8A-{v.pk}.pdf"
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def paper(request: AuthenticatedRequest, pk: int, paper_pk: int) -> HttpResponseBase:
    """A ballot's paper, for the vote's organisers only: an elector gets 404 like anyone else."""
    v = visible_vote(request.user, pk)
    if not organises(request.user, v):
        raise Http404
    found = get_object_or_404(
        BallotPaper.objects.filter(ballot__vote=v).select_related("ballot"), pk=paper_pk
    )
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    # Who opened which signed paper: it carries an owner's name and signature.
    record(Kind.EXPORT, request=request, target=v, detail={"file": found.kind, "paper": found.pk})
    content_type = (
        found.content_type if found.content_type in SERVED_TYPES else "application/octet-stream"
    )
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
