"""The home page (the work waiting, what the user was told, then their places), 我的楼栋 (the
household register of a building, lane or street leader) and 我的数据 (PIPL Art. 45)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from shuren.accounts.http import AuthenticatedRequest
from shuren.audit.actions import record
from shuren.audit.choices import Kind
from shuren.cases.inbox.counts import WorkCount, WorkGroup, work_counts
from shuren.deliberation.elevators.home import sees_elevators
from shuren.deliberation.meetings.home import followthrough_of, sees_meetings
from shuren.deliberation.votes.models import organiser_roots
from shuren.deliberation.votes.roll import announced_to
from shuren.insights.rules import figure_roots, reads_communities
from shuren.mediation.models import organisations_of
from shuren.mediation.rules import statistics_roots
from shuren.notify.models import Notification
from shuren.text import InputsForm
from shuren.web.my_data import personal_data_file
from shuren.web.queries import building_register, home_sections, leader_posts

NEWEST_NOTIFICATIONS = 5


@dataclass(frozen=True)
class CountLink:
    """A count on the home page with the address of the list behind it."""

    count: WorkCount
    url: str


@login_required
@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    inbox = reverse("cases:inbox")
    groups = [
        (group, [_link(inbox, group, count) for count in group.counts])
        for group in work_counts(user)
    ]
    person = getattr(user, "person", None)
    followthrough = followthrough_of(user)
    return render(
        request,
        "web/home.html",
        {
            "work": groups,
            "notifications": list(
                Notification.objects.visible_to(user).only(
                    "pk", "title", "body", "link", "created_at", "read_at"
                )[:NEWEST_NOTIFICATIONS]
            ),
            "sections": home_sections(user),
            "figures": bool(figure_roots(user)),
            "scorecard": reads_communities(user),
            # 调解台账 for a mediation organisation's mediators, 调解统计 for who reads it.
            "mediates": bool(organisations_of(user)),
            "mediation_statistics": bool(organisations_of(user) or statistics_roots(user)),
            # 业主表决: the votes an owner is asked to vote in; the list for their organisers.
            "my_votes": announced_to(getattr(user, "person_id", None), timezone.now()),
            "organises_votes": bool(organiser_roots(user)),
            # 会议 for organisers and invitees; the items they answer for, until done.
            "followthrough": followthrough,
            "meetings": bool(followthrough) or sees_meetings(user),
            # 加装电梯 for the staff who run projects and the residents of a stairwell with one.
            "elevators": sees_elevators(user),
            "name": person.name if person else user.get_username(),
        },
    )


def _link(inbox: str, group: WorkGroup, count: WorkCount) -> CountLink:
    return CountLink(count=count, url=f"{inbox}?{urlencode({'view': group.view, **count.params})}")


class BuildingSearch(InputsForm):
    q = forms.CharField(required=False, max_length=50)


@login_required
@require_GET
def my_buildings(request: AuthenticatedRequest) -> HttpResponse:
    """我的楼栋: a leader's households, searchable by room and name. Nobody else has one."""
    posts = leader_posts(request.user)
    if not posts:
        raise Http404
    search = BuildingSearch(request.GET)
    register = building_register(
        request.user,
        posts,
        # A search the form refuses (control characters, too long) is said so, and shows all.
        query=search.cleaned_data["q"] if search.is_valid() else "",
        page=request.GET.get("page", 1),
        shop_page=request.GET.get("shops", 1),
    )
    return render(
        request, "web/buildings.html", {"register": register, "search_errors": search.errors}
    )


@login_required
@require_POST
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    """我的数据: everything held on me as one file (PIPL Art. 45); the download is audited."""
    content = personal_data_file(request.user)
    record(Kind.EXPORT, request=request, target=request.user, detail={"what": "my_data"})
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="shuren-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response
