"""The case page: what the matter is, where it stands on the ladder, its timeline, and the
actions this user may take now (cases.rules.available_actions). The actions' POSTs are in
case_actions.py. Out of scope is a 404, exactly like a missing case.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from shuren.access.context import scope_of
from shuren.accounts.http import AuthenticatedRequest
from shuren.cases.choices import EventKind, RatingChannel
from shuren.cases.links import links_of
from shuren.cases.models import (
    Case,
    CaseEvent,
    CasePhoto,
    OverdueFlag,
    ResolutionMethod,
    Status,
    Tier,
)
from shuren.cases.on_behalf import (
    acts_for_leader,
    case_leaders,
    leader_without_account,
    leads,
)
from shuren.cases.parties import PartyLens, lens_of, may_reveal_contact, party_rows
from shuren.cases.reach import reach_of
from shuren.cases.responsible import dispatch_choices
from shuren.cases.rules import available_actions, in_sight, is_reporter
from shuren.cases.web import case_forms as forms_case
from shuren.cases.web.case_forms import ACTIONS, ActionSpec
from shuren.cases.web.case_now import now_of
from shuren.cases.workflow.escalation import escalation_tiers
from shuren.places.models import Place
from shuren.places.paths import ancestor_paths

STATUS_TONE: dict[str, str] = {
    Status.REPORTED: "new",
    Status.ACCEPTED: "working",
    Status.IN_PROGRESS: "working",
    Status.RESOLVED: "done",
    Status.FOLLOWED_UP: "done",
    Status.CLOSED: "done",
    Status.REJECTED: "ended",
    Status.MERGED: "ended",
}


def _make_form(
    key: str,
    user: Any,
    case: Case,
    data: Any = None,
    initial: dict[str, Any] | None = None,
    files: Any = None,
) -> forms_case.ActionForm:
    spec = ACTIONS[key]
    kwargs: dict[str, Any] = {
        "action": key,
        "initial": {**(initial or {}), "version": case.version},
    }
    if key == "assign":
        kwargs["people"], kwargs["teams"] = dispatch_choices(user, case)
    elif key == "escalate":
        kwargs["tiers"] = escalation_tiers(user, case)
    return spec.form(data, files, **kwargs)


# --- The page -----------------------------------------------------------------------------------


def _visible_case(user: Any, pk: int) -> Case:
    return get_object_or_404(
        Case.objects.visible_to(user)
        .select_related(
            "category",
            "category__parent",
            "place",
            "reporter",
            "assignee_person",
            "assignee_team",
            "merged_into",
        )
        .defer("search_text"),
        pk=pk,
    )


def _deadlines(case: Case) -> list[dict[str, Any]]:
    """Each deadline, and for the one that matters now whether it is overdue or due soon."""
    now = timezone.now()
    current = case.current_stage or ("follow_up" if case.status == Status.RESOLVED else "")
    rows = []
    for stage, label, due in (
        ("accept", _("Accept by"), case.accept_due),
        ("resolve", _("Resolve by"), case.resolve_due),
        ("follow_up", _("Follow up by"), case.follow_up_due),
    ):
        if due is None:
            continue
        state = ""
        if stage == current:
            if now > due or case.overdue == OverdueFlag.RED:
                state = "overdue"
            elif case.overdue == OverdueFlag.YELLOW:
                state = "soon"
            else:
                state = "on_time"
        rows.append({"label": label, "due": due, "current": stage == current, "state": state})
    return rows


def _ladder(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "value": tier.value,
            "label": tier.label,
            "current": tier.value == case.current_tier and case.is_open,
            "settled": tier.value == case.settled_tier,
            "reached": tier.value <= case.max_tier,
        }
        for tier in Tier
    ]


RATINGS = (EventKind.FOLLOWED_UP, EventKind.RATED_ON_BEHALF)


def _event_details(event: CaseEvent, lens: PartyLens) -> list[str]:
    """The facts of an event in words, beyond its kind and note (whom it went to only where
    names are for this viewer: cases.parties)."""
    data = lens.event_data(event)
    details: list[str] = []
    if event.kind == EventKind.ASSIGNED:
        for name in (data.get("person_name"), data.get("team_name")):
            if name:
                details.append(_("To: %(name)s") % {"name": name})
    if event.kind == EventKind.ESCALATED and data.get("referred_to"):
        details.append(_("Referred to: %(where)s") % {"where": data["referred_to"]})
    if event.kind == EventKind.ESCALATED and data.get("automatic"):
        details.append(_("Automatic, after the deadline and its grace period"))
    if event.kind == EventKind.RESOLVED and data.get("method") in ResolutionMethod.values:
        details.append(str(ResolutionMethod(data["method"]).label))
    if event.kind in RATINGS and "satisfied" in data:
        details.append(_("Satisfied") if data["satisfied"] else _("Not satisfied"))
    if event.kind == EventKind.RATED_ON_BEHALF and data.get("via") in RatingChannel.values:
        details.append(str(RatingChannel(data["via"]).label))
    if data.get("photos"):
        details.append(
            ngettext("%(n)d photo", "%(n)d photos", data["photos"]) % {"n": data["photos"]}
        )
    if event.kind == EventKind.MERGED and data.get("into_number"):
        details.append(_("Into: %(number)s") % {"number": data["into_number"]})
    behalf = data.get("on_behalf_of")
    if isinstance(behalf, dict) and behalf.get("name"):
        details.append(_("On behalf of %(name)s, who has no account") % {"name": behalf["name"]})
    if event.kind == EventKind.OVERDUE and data.get("flag") in OverdueFlag.values:
        details.append(str(OverdueFlag(data["flag"]).label))
    if event.from_tier and event.to_tier and event.from_tier != event.to_tier:
        details.append(_("Tier %(from)s → %(to)s") % {"from": event.from_tier, "to": event.to_tier})
    if event.from_status and event.to_status and event.from_status != event.to_status:
        details.append(f"{event.from_status_label} → {event.to_status_label}")
    return details


def _events(case: Case) -> list[CaseEvent]:
    return list(
        CaseEvent.objects.filter(case=case).select_related("actor__person").order_by("at", "pk")
    )


def _timeline(events: list[CaseEvent], lens: PartyLens) -> list[dict[str, Any]]:
    items = []
    for event in events:
        actor = lens.actor(event)
        items.append(
            {
                "event": event,
                "actor": _("The system") if actor is None else actor,
                "details": _event_details(event, lens),
            }
        )
    return items


def case_context(
    request: HttpRequest,
    case: Case,
    *,
    bound: forms_case.ActionForm | None = None,
    error: str = "",
    revealed_phone: str | None = None,
    reveal_form: forms_case.RevealPhoneForm | None = None,
) -> dict[str, Any]:
    user = request.user
    scope = scope_of(user)
    # Who may learn which of the matter's people: one rule for every face (cases.parties).
    rows = party_rows(case)
    lens = lens_of(user, case, rows)
    shows_people = lens.names_people
    # The place's address: every place above it by name (a leader's scope may start at the
    # building, but "1栋" alone says little), each a link where the user may open it.
    chain = [
        (place, scope.contains_place(place))
        for place in Place.objects.filter(
            path__in=ancestor_paths(case.place_path, include_self=False)
        )
        .only("pk", "name", "path")
        .order_by("path")
    ]
    forms: list[tuple[ActionSpec, forms_case.ActionForm]] = []
    offered = available_actions(user, case)
    if bound is not None and bound.action not in offered:
        offered.append(bound.action)  # the form just posted shows again, with its errors
    for key in offered:
        bound_here = bound if bound is not None and bound.action == key else None
        forms.append((ACTIONS[key], bound_here or _make_form(key, user, case)))
    can_reveal = bool(case.contact_phone) and may_reveal_contact(user, case, lens)
    events = _events(case)
    reporter = bool(is_reporter(user, case))
    # A matter waiting at tier 1 for a leader without a login (asked after the actions, which
    # keep the answer on the case): marked for those who watch the building, and the
    # community's staff and grid workers act for the leader (代办).
    offline = (
        leader_without_account(case)
        if case.current_tier == Tier.BUILDING
        and case.is_open
        and in_sight(user, case)
        and not leads(user, case)
        else None
    )
    merged_into_visible = (
        case.merged_into_id is not None
        and Case.objects.visible_to(user).filter(pk=case.merged_into_id).exists()
    )
    return {
        "case": case,
        "tone": STATUS_TONE.get(case.status, "new"),
        "ladder": _ladder(case),
        "chain": chain,
        "deadlines": _deadlines(case),
        "shows_people": shows_people,
        "reporter": lens.reporter(case),
        "reporter_phone": lens.reporter_phone(case),
        "contact_name": lens.contact_name(case),
        "contact_phone": (
            revealed_phone if revealed_phone is not None else lens.contact_phone(case)
        ),
        "phone_revealed": revealed_phone is not None,
        "can_reveal": can_reveal and revealed_phone is None,
        "reveal_form": reveal_form or forms_case.RevealPhoneForm(),
        "parties": lens.parties(rows),
        "photos": list(CasePhoto.objects.filter(case=case).only("pk", "case_id").order_by("pk")),
        "timeline": _timeline(events, lens),
        "now": now_of(case, events, is_reporter=reporter, names_people=shows_people),
        # Words of the trade (现在可以办理, 承办人) are for those who work on matters; a
        # resident is spoken to in plain words.
        "for_staff": bool(scope.roots or reach_of(user).team_ids),
        "is_reporter": reporter,
        "forms": forms,
        "error": error,
        "merged_into_visible": merged_into_visible,
        # What other capabilities say of the matter (调解中 · the workshop), each linked only
        # for who may open it there.
        "links": links_of(user, case),
        "leader_offline": offline,
        # Whose building it is: the leader's name, and a number only where they published one;
        # a party named in a dispute (who may be the one complained about) is told no name.
        "leaders": case_leaders(case) if shows_people or reporter else [],
        "acts_for_leader": offline is not None and acts_for_leader(user, case),
        # The action form to show open: the one just posted, or the one a link asked for.
        "open_action": bound.action if bound is not None else request.GET.get("act", ""),
    }


@login_required
@require_GET
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = _visible_case(request.user, pk)
    return render(request, "cases/case/detail.html", case_context(request, case))


@login_required
@require_GET
def case_photo(request: AuthenticatedRequest, pk: int, photo_pk: int) -> HttpResponseBase:
    """A photo of a case the user may see, never straight from MEDIA_ROOT."""
    case = get_object_or_404(Case.objects.visible_to(request.user).only("pk"), pk=pk)
    photo = get_object_or_404(CasePhoto.objects.filter(case=case), pk=photo_pk)
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    content_type = photo.content_type
    if content_type not in ("image/jpeg", "image/png"):
        content_type = "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- Actions ------------------------------------------------------------------------------------
