"""The owners' vote pages: the vote (its notice, the electorate's size, the owner's ballot)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from shuren.accounts.http import AuthenticatedRequest
from shuren.deliberation.votes.models import Vote


@login_required
@require_GET
def vote(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A vote its organisers and electors read; anyone else gets 404, as for a missing id."""
    v = get_object_or_404(Vote.objects.visible_to(request.user).select_related("place"), pk=pk)
    return render(
        request,
        "deliberation/vote.html",
        {
            "vote": v,
            "units": v.units.count(),
            "owners": v.units.values("owner_key").distinct().count(),
        },
    )
