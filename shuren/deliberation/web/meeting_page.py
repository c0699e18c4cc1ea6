"""The meeting page: its facts, the check-in code and QR on the organiser's phone, invitees and
attendance, agenda (with the matters it takes up, linked for who may open them), minutes and
their approvals, decisions with their follow-through state, the timeline, and a form for each
action the domain offers now (rules.available_actions, decision_actions). Out of scope is a 404,
exactly like a missing id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import segno
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from shuren.cases.models import Case
from shuren.deliberation.meetings import followthrough, procedure
from shuren.deliberation.meetings.choices import Minutes, Status
from shuren.deliberation.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Invitee,
    Meeting,
    MeetingEvent,
    MinutesApproval,
)
from shuren.deliberation.meetings.people import expected_people, users_of
from shuren.deliberation.meetings.rules import available_actions, decision_actions, organises
from shuren.deliberation.web.meeting_forms import (
    ACTIONS,
    ActionSpec,
    DecisionForm,
    MarkAttendanceForm,
    set_choices,
)
from shuren.people.models import Person


def visible_meeting(user: Any, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(user).select_related("place", "called_by__person", "secretary"),
        pk=pk,
    )


def phase(m: Meeting, now: Any) -> tuple[str, str]:
    """(tone, key) of where the meeting stands: upcoming, under way, held or cancelled."""
    if m.status == Status.CANCELLED:
        return "ended", "cancelled"
    if now < m.starts_at:
        return "new", "upcoming"
    if now <= m.ends_at:
        return "working", "under_way"
    return "done", "held"


def _owner_choices(m: Meeting, people: list[Person]) -> list[tuple[str, str]]:
    """Owners: the meeting's people who have an account, and its invited organisations."""
    with_accounts = set(users_of({p.pk for p in people}).values_list("person_id", flat=True))
    teams = Invitee.objects.filter(meeting=m, team__isnull=False).select_related("team")
    return [
        *[(f"t{i.team_id}", i.team.name) for i in teams if i.team is not None],
        *[(f"p{p.pk}", p.name) for p in people if p.pk in with_accounts],
    ]


def make_form(
    key: str,
    m: Meeting,
    data: Any = None,
    initial: dict[str, Any] | None = None,
    decision: Decision | None = None,
    user: Any = None,
    people: list[Person] | None = None,
) -> Any:
    """The action's form for this meeting (or item) as it is now (`people`: the meeting's
    expected people, when the page has read them already)."""
    spec = ACTIONS[key]
    version = decision.version if decision is not None else m.version
    start = {**(initial or {}), "version": version}
    if decision is not None:
        start["decision"] = decision.pk
    if key == "draft_minutes":
        start.setdefault("text", m.minutes)
    if key == "approve_minutes":
        start["revision"] = m.minutes_revision
    form = spec.form(
        data, initial=start, action=key if decision is None else f"{key}-{decision.pk}"
    )
    if isinstance(form, MarkAttendanceForm | DecisionForm) and people is None:
        people = list(expected_people(m))
    if isinstance(form, MarkAttendanceForm):
        present = set(Attendance.objects.filter(meeting=m).values_list("person_id", flat=True))
        set_choices(
            form,
            "person",
            [("", "—")] + [(p.pk, p.name) for p in people or [] if p.pk not in present],
        )
    if isinstance(form, DecisionForm):
        set_choices(form, "owner", [("", "—"), *_owner_choices(m, people or [])])
        items = list(AgendaItem.objects.filter(meeting=m).order_by("position"))
        set_choices(
            form, "agenda_item", [("", "—")] + [(i.pk, f"{i.position}. {i.title}") for i in items]
        )
        cases = Case.objects.filter(
            pk__in=AgendaItem.cases.through.objects.filter(agendaitem__meeting=m).values("case_id")
        )
        if user is not None:
            cases = cases & Case.objects.visible_to(user)
        set_choices(
            form,
            "settles",
            [("", "—")] + [(c.pk, f"{c.number} {c.title}") for c in cases.order_by("number")],
        )
    return form


@dataclass(frozen=True)
class Item:
    """A decision on the page: its state in Guicheng today and the forms its reader may use."""

    decision: Decision
    tone: str
    days_over: int
    forms: list[tuple[ActionSpec, Any]]


def qr_svg(url: str) -> SafeString:
    """The check-in address as an inline SVG QR code (no script, no external image)."""
    # segno writes the SVG itself from the URL (our own address): nothing user-typed in it.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=5, border=2))  # noqa: S308


def meeting_context(
    request: HttpRequest,
    m: Meeting,
    *,
    bound: Any = None,
    bound_decision: int | None = None,
    error: str = "",
    error_code: str = "",
) -> dict[str, Any]:
    user = request.user
    now = timezone.now()
    today = followthrough.local_day(now)
    offered = available_actions(user, m, now)
    people = list(expected_people(m))
    if bound is not None and bound_decision is None and bound.action not in offered:
        offered.append(bound.action)  # the form just posted shows again, with its errors
    forms = []
    for k in offered:
        here = bound if bound is not None and bound.action == k else None
        forms.append((ACTIONS[k], here or make_form(k, m, user=user, people=people)))
    items = []
    for d in (
        Decision.objects.filter(meeting=m)
        .select_related("owner_person", "owner_team", "agenda_item", "case")
        .order_by("due_on", "pk")
    ):
        d.meeting = m  # the page's meeting: its rules ask no query per item
        keys = decision_actions(user, d)
        item_forms = []
        for k in keys:
            here = (
                bound
                if bound is not None and bound_decision == d.pk and bound.action.startswith(k)
                else None
            )
            item_forms.append((ACTIONS[k], here or make_form(k, m, decision=d)))
        items.append(
            Item(
                decision=d,
                tone=followthrough.tone(d.status, d.due_on, today),
                days_over=followthrough.days_overdue(d.status, d.due_on, today),
                forms=item_forms,
            )
        )
    present = list(
        Attendance.objects.filter(meeting=m).select_related("person").order_by("at", "pk")
    )
    approvals = MinutesApproval.objects.filter(meeting=m, revision=m.minutes_revision).count()
    seen_cases = set(
        Case.objects.visible_to(user)
        .filter(
            pk__in=AgendaItem.cases.through.objects.filter(agendaitem__meeting=m).values("case_id")
        )
        .values_list("pk", flat=True)
    )
    agenda = list(
        AgendaItem.objects.filter(meeting=m)
        .prefetch_related(Prefetch("cases", queryset=Case.objects.order_by("number")))
        .order_by("position")
    )
    is_organiser = organises(user, m)
    tone, where = phase(m, now)
    return {
        "m": m,
        "tone": tone,
        "phase": where,
        "is_organiser": is_organiser,
        "checkin_open": procedure.checkin_open(m.starts_at, m.ends_at, now),
        "qr": qr_svg(request.build_absolute_uri(m.checkin_url()))
        if is_organiser and m.status == Status.CALLED
        else "",
        "invitees": list(
            Invitee.objects.filter(meeting=m).select_related("person", "team").order_by("pk")
        ),
        "present": present,
        "expected": len(people),
        "agenda": [(i, [(c, c.pk in seen_cases) for c in i.cases.all()]) for i in agenda],
        "minutes_draft": m.minutes_status != Minutes.NONE,
        "approvals": approvals,
        "needed": procedure.approvals_needed(len(present)),
        "items": items,
        "timeline": list(
            MeetingEvent.objects.filter(meeting=m)
            .select_related("actor__person")
            .order_by("at", "pk")
        ),
        "forms": forms,
        "error": error,
        "error_code": error_code,
        "open_action": bound.action if bound is not None else request.GET.get("act", ""),
    }
