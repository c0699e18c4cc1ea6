"""The case page: what the matter is, where it stands on the ladder, its timeline, and the
actions this user may take now. Each POST view authorizes, validates and calls one action.

Answers to a POST: 302 back to the page when the action succeeded; 403 when the user may not
take it; 409 when the case changed since the page was rendered (stale version) or the action
does not fit its state; 422 when the form is incomplete. Each error answer shows the page
again with the message in words. Out of scope is a 404, exactly like a missing case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from shuren.access.context import scope_of
from shuren.access.masking import mask_phone
from shuren.accounts.models import User
from shuren.cases import actions
from shuren.cases.choices import EventKind
from shuren.cases.models import (
    Case,
    CaseEvent,
    CaseParty,
    CasePhoto,
    OverdueFlag,
    ResolutionMethod,
    Status,
    Tier,
)
from shuren.cases.responsible import teams_serving
from shuren.cases.rules import is_assignee, is_reporter
from shuren.cases.web import case_forms as forms_case
from shuren.cases.workflow.transitions import Action, CaseTransitionError, allowed
from shuren.kernel.versions import StaleVersion
from shuren.people.models import Membership, Post, Team, active_q
from shuren.people.roles import Role
from shuren.places.models import Place
from shuren.places.paths import ancestor_paths


@dataclass(frozen=True)
class ActionSpec:
    key: str
    perm: str
    transition: str
    form: type[forms_case.ActionForm]
    label: Any  # the button
    done: Any  # the message after it worked
    # Shown as one button (nothing to fill in) rather than a form that opens.
    one_tap: bool = False

    @property
    def url_name(self) -> str:
        return f"cases:{self.key}"


# In the order the page offers them: the usual next step first.
ACTIONS: dict[str, ActionSpec] = {
    spec.key: spec
    for spec in (
        ActionSpec(
            "accept",
            "cases.accept_case",
            Action.ACCEPT,
            forms_case.AcceptForm,
            gettext_lazy("Accept this matter"),
            gettext_lazy("Accepted. The matter is now yours to handle."),
            one_tap=True,
        ),
        ActionSpec(
            "resolve",
            "cases.resolve_case",
            Action.RESOLVE,
            forms_case.ResolveForm,
            gettext_lazy("Mark resolved"),
            gettext_lazy("Marked resolved. The reporter is asked whether they are satisfied."),
        ),
        ActionSpec(
            "follow_up",
            "cases.follow_up_case",
            Action.FOLLOW_UP_SATISFIED,
            forms_case.FollowUpForm,
            gettext_lazy("Record the follow-up"),
            gettext_lazy("The follow-up is recorded."),
        ),
        ActionSpec(
            "assign",
            "cases.assign_case",
            Action.ASSIGN,
            forms_case.AssignForm,
            gettext_lazy("Dispatch"),
            gettext_lazy("Dispatched. They have been told."),
        ),
        ActionSpec(
            "escalate",
            "cases.escalate_case",
            Action.ESCALATE,
            forms_case.EscalateForm,
            gettext_lazy("Escalate"),
            gettext_lazy("Escalated. The people of the new tier have been told."),
        ),
        ActionSpec(
            "close",
            "cases.close_case",
            Action.CLOSE,
            forms_case.CloseForm,
            gettext_lazy("Close the case"),
            gettext_lazy("The case is closed."),
            one_tap=True,
        ),
        ActionSpec(
            "note",
            "cases.add_note",
            Action.ADD_NOTE,
            forms_case.NoteForm,
            gettext_lazy("Add a note"),
            gettext_lazy("The note is on the timeline."),
        ),
        ActionSpec(
            "return",
            "cases.return_case",
            Action.RETURN,
            forms_case.ReturnForm,
            gettext_lazy("Hand back (退单)"),
            gettext_lazy("Handed back. Whoever dispatched it has been told."),
        ),
        ActionSpec(
            "merge",
            "cases.merge_case",
            Action.MERGE,
            forms_case.MergeForm,
            gettext_lazy("Merge as a duplicate"),
            gettext_lazy("Merged. It is followed on the other case now."),
        ),
        ActionSpec(
            "reject",
            "cases.reject_case",
            Action.REJECT,
            forms_case.RejectForm,
            gettext_lazy("Turn down"),
            gettext_lazy("Turned down. The reporter is told why."),
        ),
    )
}

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

# Who answers for a place and may be dispatched to: leaders, estate and community roles.
DISPATCH_ROLES = (
    Role.LOUZHANG,
    Role.XIANGZHANG,
    Role.JIEZHANG,
    Role.YEWEIHUI,
    Role.ZIZHI_ZUZHANG,
    Role.WANGGEYUAN,
    Role.SHEQU_STAFF,
    Role.SHEQU_SHUJI,
    Role.TIAOJIEYUAN,
)


# --- What the user may do -----------------------------------------------------------------------


def may_take(user: Any, case: Case, key: str) -> bool:
    """The state machine allows it, the rules allow this user, and its own preconditions hold."""
    spec = ACTIONS[key]
    if not allowed(spec.transition, case.status):
        return False
    if key == "escalate" and case.current_tier >= Tier.BEYOND:
        return False
    if key == "return" and not (case.assignee_person_id or case.assignee_team_id):
        return False
    return user.has_perm(spec.perm, case)


def dispatch_choices(user: Any, case: Case) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Whom this user may dispatch the case to: the post holders at the case's place or above
    it inside the user's scope, the people of the user's own teams (a property company's staff),
    and the teams that serve the place (as assign_case checks). Three queries."""
    from shuren.cases.reach import reach_of

    ancestors = ancestor_paths(case.place_path)
    scope = scope_of(user)
    team_ids = sorted(reach_of(user).team_ids)
    posts = (
        Post.objects.filter(active_q())
        .filter(
            (Q(role__in=DISPATCH_ROLES, place__path__in=ancestors) & scope.place_q("place__"))
            | Q(team_id__in=team_ids)
        )
        .select_related("person", "place", "team")
        .order_by("place__path", "role", "person__name")
    )
    people: dict[int, str] = {}
    for post in posts:
        where = post.place.name if post.place else (post.team.name if post.team else "")
        people.setdefault(
            post.person_id, f"{post.person.name} · {post.get_role_display()} · {where}"
        )
    members = (
        Membership.objects.filter(active_q(), team_id__in=team_ids)
        .exclude(person_id__in=list(people))
        .select_related("person", "team")
        .order_by("person__name")
    )
    for membership in members:
        people.setdefault(
            membership.person_id, f"{membership.person.name} · {membership.team.name}"
        )
    teams = teams_serving(case.place_path).order_by("kind", "name")
    return list(people.items()), [(t.pk, f"{t.name} · {t.get_kind_display()}") for t in teams]


def _make_form(
    key: str, user: Any, case: Case, data: Any = None, initial: dict[str, Any] | None = None
) -> forms_case.ActionForm:
    spec = ACTIONS[key]
    kwargs: dict[str, Any] = {
        "action": key,
        "initial": {**(initial or {}), "version": case.version},
    }
    if key == "assign":
        kwargs["people"], kwargs["teams"] = dispatch_choices(user, case)
    elif key == "escalate":
        kwargs["current_tier"] = case.current_tier
    return spec.form(data, **kwargs)


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


def _event_details(event: CaseEvent) -> list[str]:
    """The facts of an event in words, beyond its kind and note."""
    data = event.data or {}
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
    if event.kind == EventKind.MERGED and data.get("into_number"):
        details.append(_("Into: %(number)s") % {"number": data["into_number"]})
    if event.kind == EventKind.OVERDUE and data.get("flag") in OverdueFlag.values:
        details.append(str(OverdueFlag(data["flag"]).label))
    if event.from_tier and event.to_tier and event.from_tier != event.to_tier:
        details.append(_("Tier %(from)s → %(to)s") % {"from": event.from_tier, "to": event.to_tier})
    if event.from_status and event.to_status and event.from_status != event.to_status:
        details.append(f"{event.from_status_label} → {event.to_status_label}")
    return details


def _timeline(case: Case, *, shows_people: bool) -> list[dict[str, Any]]:
    events = (
        CaseEvent.objects.filter(case=case).select_related("actor__person").order_by("at", "pk")
    )
    items = []
    for event in events:
        if event.actor is None:
            actor = _("The system")
        elif event.kind == EventKind.REPORTED and not shows_people:
            actor = ""  # whoever reported it stays unnamed to the parties
        else:
            person = event.actor.person
            actor = person.name if person else event.actor.get_username()
        items.append({"event": event, "actor": actor, "details": _event_details(event)})
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
    # The reporter and the parties are for those who handle the matter, not for a party who
    # only sees it because they are named in it (a neighbour need not learn who complained).
    shows_people = (
        scope.contains_path(case.place_path)
        or case.recorded_by_id == user.pk
        or is_reporter(user, case)
        or is_assignee(user, case)
    )
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
    for key, spec in ACTIONS.items():
        if bound is not None and bound.action == key:
            forms.append((spec, bound))
        elif may_take(user, case, key):
            forms.append((spec, _make_form(key, user, case)))
    can_reveal = bool(case.contact_phone) and scope.may_unmask_path(case.place_path)
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
        "reporter_phone": mask_phone(case.reporter.phone) if case.reporter else "",
        "contact_phone": (
            revealed_phone if revealed_phone is not None else case.masked_contact_phone
        ),
        "phone_revealed": revealed_phone is not None,
        "can_reveal": can_reveal and revealed_phone is None,
        "reveal_form": reveal_form or forms_case.RevealPhoneForm(),
        "parties": (
            list(CaseParty.objects.filter(case=case).select_related("person").order_by("pk"))
            if shows_people
            else []
        ),
        "photos": list(CasePhoto.objects.filter(case=case).only("pk", "case_id").order_by("pk")),
        "timeline": _timeline(case, shows_people=shows_people),
        "forms": forms,
        "error": error,
        "merged_into_visible": merged_into_visible,
        # The action form to show open: the one just posted, or the one a link asked for.
        "open_action": bound.action if bound is not None else request.GET.get("act", ""),
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request.user, pk)
    return render(request, "cases/case/detail.html", case_context(request, case))


@login_required
@require_GET
def case_photo(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponseBase:
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


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _answer_error(
    request: HttpRequest,
    pk: int,
    *,
    status: int,
    code: str,
    message: str,
    bound: forms_case.ActionForm | None = None,
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"code": code, "message": message}, status=status)
    case = _visible_case(request.user, pk)  # afresh: it may have changed
    if bound is not None and code == "stale_version":
        # What they typed is kept, now against the version they can see.
        data = {k: v for k, v in bound.data.items() if k not in ("version", "csrfmiddlewaretoken")}
        bound = _make_form(bound.action, request.user, case, initial=data)
    context = case_context(request, case, bound=bound, error=message)
    context["error_code"] = code
    return render(request, "cases/case/detail.html", context, status=status)


STALE_MESSAGE = gettext_lazy(
    "Someone else changed this case while you had the page open, so nothing was saved. "
    "The page below shows the case as it is now; check it, then try again."
)


def _act(
    request: HttpRequest,
    pk: int,
    key: str,
    run: Callable[[Case, dict[str, Any]], Case],
) -> HttpResponse:
    """Authorize, validate, call the one action, answer."""
    user = request.user
    spec = ACTIONS[key]
    case = get_object_or_404(
        Case.objects.visible_to(user).select_related("place", "category"), pk=pk
    )
    if not user.has_perm(spec.perm, case):
        return _answer_error(
            request,
            pk,
            status=403,
            code="permission_denied",
            message=_("You may not do this to this case."),
        )
    form = _make_form(key, user, case, data=request.POST)
    if not form.is_valid():
        return _answer_error(
            request,
            pk,
            status=422,
            code="invalid",
            message=_("Some of the form is missing or wrong; see below."),
            bound=form,
        )
    data = form.cleaned_data
    try:
        case = run(case, data)
    except StaleVersion:
        return _answer_error(
            request, pk, status=409, code="stale_version", message=str(STALE_MESSAGE), bound=form
        )
    except CaseTransitionError as exc:
        return _answer_error(
            request, pk, status=409, code="illegal_transition", message=" ".join(exc.messages)
        )
    except PermissionDenied:
        return _answer_error(
            request,
            pk,
            status=403,
            code="permission_denied",
            message=_("You may not do this to this case."),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _answer_error(
            request,
            pk,
            status=422,
            code=getattr(exc, "code", None) or "invalid",
            message=" ".join(exc.messages),
            bound=form,
        )
    if _wants_json(request):
        return JsonResponse(
            {"id": case.pk, "number": case.number, "status": case.status, "version": case.version}
        )
    messages.success(request, str(spec.done))
    url = case.get_absolute_url()
    if getattr(request, "htmx", False):
        return HttpResponse(status=200, headers={"HX-Redirect": url})
    return redirect(url)


def _actor(request: HttpRequest) -> User:
    """The logged-in user (login_required let nobody else through)."""
    assert isinstance(request.user, User)
    return request.user


def _version(data: dict[str, Any]) -> int:
    return int(data["version"])


@login_required
@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "accept",
        lambda case, data: actions.accept_case(
            actor=_actor(request), case=case, note=data["note"], expected_version=_version(data)
        ),
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    from shuren.people.models import Person

    def run(case: Case, data: dict[str, Any]) -> Case:
        return actions.assign_case(
            actor=_actor(request),
            case=case,
            person=Person.objects.get(pk=data["person"]) if data.get("person") else None,
            team=Team.objects.get(pk=data["team"]) if data.get("team") else None,
            note=data["note"],
            expected_version=_version(data),
        )

    return _act(request, pk, "assign", run)


@login_required
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "note",
        lambda case, data: actions.add_note(
            actor=_actor(request), case=case, note=data["note"], expected_version=_version(data)
        ),
    )


@login_required
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "escalate",
        lambda case, data: actions.escalate_case(
            actor=_actor(request),
            case=case,
            reason=data["reason"],
            to_tier=data.get("to_tier") or None,
            referred_to=data["referred_to"],
            expected_version=_version(data),
        ),
    )


@login_required
@require_POST
def return_case(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "return",
        lambda case, data: actions.return_case(
            actor=_actor(request), case=case, reason=data["reason"], expected_version=_version(data)
        ),
    )


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "resolve",
        lambda case, data: actions.resolve_case(
            actor=_actor(request),
            case=case,
            method=data["method"],
            summary=data["summary"],
            expected_version=_version(data),
        ),
    )


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "follow_up",
        lambda case, data: actions.follow_up_case(
            actor=_actor(request),
            case=case,
            satisfied=data["satisfied"],
            note=data["note"],
            expected_version=_version(data),
        ),
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "close",
        lambda case, data: actions.close_case(
            actor=_actor(request), case=case, note=data["note"], expected_version=_version(data)
        ),
    )


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    def run(case: Case, data: dict[str, Any]) -> Case:
        into = Case.objects.visible_to(request.user).filter(number=data["into"]).first()
        if into is None:
            raise ValidationError(
                {"into": _("There is no case with this number that you can see.")},
                code="no_such_case",
            )
        return actions.merge_case(
            actor=_actor(request),
            case=case,
            into=into,
            reason=data["reason"],
            expected_version=_version(data),
        )

    return _act(request, pk, "merge", run)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "reject",
        lambda case, data: actions.reject_case(
            actor=_actor(request), case=case, reason=data["reason"], expected_version=_version(data)
        ),
    )


@login_required
@require_POST
def reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The anonymous contact's full phone, once, for a stated reason (written to the access log)."""
    user = request.user
    case = _visible_case(user, pk)
    status = 200
    revealed: str | None = None
    error = ""
    form = forms_case.RevealPhoneForm(request.POST)
    if not scope_of(user).may_unmask_path(case.place_path):
        status = 403
        error = _("Your role may not see full personal information. Nothing was shown.")
    elif not case.contact_phone:
        status, error = 422, _("No contact phone is recorded for this case.")
    elif not form.is_valid():
        status, error = 422, _("Please say why you need to see it.")
    else:
        try:
            revealed = actions.reveal_contact_phone(
                user=_actor(request),
                case=case,
                reason=form.cleaned_data["reason"],
                ip_address=request.META.get("REMOTE_ADDR"),
            )
        except PermissionDenied:
            status = 403
            error = _("Your role may not see full personal information. Nothing was shown.")
        except ValidationError as exc:
            status, error = 422, " ".join(exc.messages)
    context = case_context(request, case, error=error, revealed_phone=revealed, reveal_form=form)
    response = render(request, "cases/case/detail.html", context, status=status)
    # A revealed number must not linger in caches or the back-forward history.
    response["Cache-Control"] = "no-store"
    return response
