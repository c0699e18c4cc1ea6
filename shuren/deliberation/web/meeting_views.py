"""The meeting pages people open: the list of the meetings they organise or are invited to,
calling a new one (its place first, then its invitees and agenda), the meeting page, and the
check-in pages (the QR's address with its code, and typing the code alone)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from shuren.accounts.http import AuthenticatedRequest
from shuren.deliberation import actions
from shuren.deliberation.meetings import procedure
from shuren.deliberation.meetings.choices import Status
from shuren.deliberation.meetings.invitations import (
    candidate_people,
    candidate_teams,
    meeting_places,
    people_by_id,
)
from shuren.deliberation.meetings.models import Meeting
from shuren.deliberation.web.meeting_forms import (
    CallMeetingForm,
    CheckInForm,
    CodeForm,
    PlaceChoiceForm,
    default_times,
)
from shuren.deliberation.web.meeting_page import meeting_context, phase, visible_meeting
from shuren.people.models import Team
from shuren.places.models import Place

PAGE_SIZE = 20


@login_required
@require_GET
def meetings(request: AuthenticatedRequest) -> HttpResponse:
    """The meetings this user organises or is invited to, newest first (paginated)."""
    page = Paginator(
        Meeting.objects.visible_to(request.user)
        .select_related("place")
        .order_by("-starts_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "deliberation/meetings/list.html",
        {
            "page": page,
            "rows": [(m, *phase(m, now)) for m in page.object_list],
            "calls": bool(meeting_places(request.user)),
        },
    )


def _call_form(
    place: Place, data: Any = None, initial: dict[str, Any] | None = None
) -> CallMeetingForm:
    teams = candidate_teams(place)
    return CallMeetingForm(
        data,
        initial=initial,
        persons=candidate_people(place, teams),
        teams=[(t.pk, f"{t.name} · {t.get_kind_display()}") for t in teams],
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_meeting(request: AuthenticatedRequest) -> HttpResponse:
    """召集会议: choose the place, then the kind, time, venue, invitees and agenda."""
    user = request.user
    places = meeting_places(user)
    if not places:
        raise Http404
    by_pk = {p.pk: p for p in places}
    source = request.POST if request.method == "POST" else request.GET
    chooser = PlaceChoiceForm(
        source if "place" in source else None,
        places=[
            (p.pk, p.name if p.depth <= 2 else f"{p.name}（{p.get_kind_display()}）")
            for p in places
        ],
    )
    if not chooser.is_bound or not chooser.is_valid():
        return render(request, "deliberation/meetings/new.html", {"chooser": chooser})
    place = by_pk[chooser.cleaned_data["place"]]
    if request.method == "GET":
        starts, ends = default_times()
        form = _call_form(
            place,
            initial={
                "place": place.pk,
                "token": secrets.token_urlsafe(24),
                "starts_at": starts,
                "ends_at": ends,
            },
        )
        return render(request, "deliberation/meetings/new.html", {"form": form, "place": place})
    form = _call_form(place, data=request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = actions.call_meeting(
                actor=user,
                place=place,
                kind=data["kind"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=data["venue"],
                purpose=data["purpose"],
                persons=people_by_id(data["persons"]),
                teams=list(Team.objects.filter(pk__in=data["teams"]).order_by("pk")),
                secretary=people_by_id([data["secretary"]])[0] if data["secretary"] else None,
                agenda=form.agenda_lines(),
                token=data["token"],
            )
        except PermissionDenied:
            form.add_error(
                "kind",
                _("You may not call this kind of meeting over %(place)s.") % {"place": place.name},
            )
            status = 403
        except IntegrityError:  # the same form posted twice at once: the other call made it
            meeting = get_object_or_404(Meeting, token=data["token"], called_by=user)
            return redirect(meeting.get_absolute_url())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The meeting is called; the invitees are told."))
            return redirect(meeting.get_absolute_url())
    return render(
        request, "deliberation/meetings/new.html", {"form": form, "place": place}, status=status
    )


@login_required
@require_GET
def meeting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    m = visible_meeting(request.user, pk)
    return render(request, "deliberation/meetings/detail.html", meeting_context(request, m))


def _checkin_answer(
    request: AuthenticatedRequest, m: Meeting, form: Any, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "deliberation/meetings/checkin.html",
        {
            "m": m,
            "form": form,
            "open": procedure.checkin_open(m.starts_at, m.ends_at, timezone.now())
            and m.status == Status.CALLED,
            "may": request.user.has_perm("deliberation.check_in", m),
        },
        status=status,
    )


def _check_in(request: AuthenticatedRequest, m: Meeting, form: Any) -> HttpResponse:
    if not form.is_valid():
        return _checkin_answer(request, m, form, 422)
    try:
        actions.check_in(actor=request.user, meeting=m, code=form.cleaned_data["code"])
    except PermissionDenied:
        form.add_error(None, _("Only the meeting's invitees check in."))
        return _checkin_answer(request, m, form, 403)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _checkin_answer(request, m, form, 422)
    messages.success(request, _("You are checked in."))
    return redirect(m.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """签到: the QR on the organiser's phone opens this with the code filled in; POST checks in."""
    m = visible_meeting(request.user, pk)
    if request.method == "POST":
        return _check_in(request, m, CheckInForm(request.POST, action="check_in"))
    code = request.GET.get("code", "")
    initial = {"version": m.version, "code": code if procedure.well_formed_code(code) else ""}
    return _checkin_answer(request, m, CheckInForm(initial=initial, action="check_in"))


@login_required
@require_http_methods(["GET", "POST"])
def checkin_by_code(request: AuthenticatedRequest) -> HttpResponse:
    """Typing the six digits alone: the meeting is the one of theirs checking in with it now."""
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 422
        if form.is_valid():
            now = timezone.now()
            found = [
                m
                for m in Meeting.objects.visible_to(request.user)
                .filter(checkin_code=form.cleaned_data["code"], status=Status.CALLED)
                .select_related("place")[:5]
                if procedure.checkin_open(m.starts_at, m.ends_at, now)
            ]
            if found:
                data = {"code": form.cleaned_data["code"], "version": found[0].version}
                return _check_in(request, found[0], CheckInForm(data, action="check_in"))
            form.add_error("code", _("No meeting of yours is checking in with this code now."))
    return render(request, "deliberation/meetings/checkin_code.html", {"form": form}, status=status)
