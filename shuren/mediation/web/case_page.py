"""The mediation case page: the dispute, its parties (identity data masked, a logged reveal for
its mediators), mediators, sessions, agreement, follow-ups, papers (and the PDFs to download,
papers_views.py), the case file's checklist, the timeline, and a form for each action the domain
offers now (rules.available_actions). The actions' POSTs are in case_actions.py. Out of scope is
a 404, exactly like a missing id."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from shuren.access.masking import mask_id_number, mask_phone
from shuren.accounts.http import AuthenticatedRequest
from shuren.mediation import law
from shuren.mediation.casefile import checklist
from shuren.mediation.choices import Consent, Route, Status
from shuren.mediation.models import (
    Document,
    FollowUp,
    Mediation,
    MediationEvent,
    Party,
    Session,
)
from shuren.mediation.progress import organisation_mediators
from shuren.mediation.rules import available_actions
from shuren.mediation.web.action_forms import ACTIONS, ActionSpec
from shuren.mediation.web.forms import RevealForm
from shuren.mediation.web.papers_views import downloads
from shuren.people.models import Person

STATUS_TONE: dict[str, str] = {
    Status.REGISTERED: "new",
    Status.MEDIATING: "working",
    Status.AGREED: "done",
    Status.ARCHIVED: "done",
    Status.FAILED: "ended",
    Status.TERMINATED: "ended",
    Status.WITHDRAWN: "ended",
}
REVEALABLE = ("id_number", "phone", "address")


def mask_address(address: str) -> str:
    """广东省佛山市****: the first six characters (the city or district), the rest hidden."""
    address = (address or "").strip()
    if len(address) <= 6:
        return "*" * len(address)
    return address[:6] + "****"


LABELS = {"id_number": _("ID number"), "phone": _("Phone"), "address": _("Address")}
MASK = {"id_number": mask_id_number, "phone": mask_phone, "address": mask_address}


def visible_mediation(user: Any, pk: int) -> Mediation:
    return get_object_or_404(
        Mediation.objects.visible_to(user).select_related("organisation", "place", "case"),
        pk=pk,
    )


def make_form(
    key: str,
    m: Mediation,
    parties: list[Party],
    data: Any = None,
    files: Any = None,
    initial: dict[str, Any] | None = None,
) -> Any:
    """The action's form for this case as it is now (its version, its parties, the
    organisation's mediators)."""
    spec = ACTIONS[key]
    kwargs: dict[str, Any] = {"action": key, "initial": {**(initial or {}), "version": m.version}}
    if key in ("consent", "choose_mediators"):
        mediators = list(
            Person.objects.filter(pk__in=organisation_mediators(m))
            .order_by("name", "pk")
            .values_list("pk", "name")
        )
        kwargs["mediators"] = mediators
        if key == "consent":
            kwargs["parties"] = [
                (p.pk, f"{p.get_role_display()} {p.name} · {p.get_consent_display()}")
                for p in parties
            ]
    elif key == "hold_session":
        kwargs["parties"] = [
            (p.pk, f"{p.get_role_display()} {p.name}", p.consent == Consent.GIVEN) for p in parties
        ]
        kwargs["initial"].setdefault("held_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    return spec.form(data, files, **kwargs)


def _party_rows(
    parties: list[Party], may_reveal: bool, revealed: dict[tuple[int, str], str]
) -> list[dict[str, Any]]:
    rows = []
    for p in parties:
        fields = []
        for name in REVEALABLE:
            raw = str(getattr(p, name) or "")
            shown = revealed.get((p.pk, name))
            fields.append(
                {
                    "name": name,
                    "label": LABELS[name],
                    "value": shown if shown is not None else MASK[name](raw),
                    "revealed": shown is not None,
                    "can_reveal": may_reveal and bool(raw) and shown is None,
                }
            )
        rows.append({"party": p, "fields": fields})
    return rows


def case_context(
    request: HttpRequest,
    m: Mediation,
    *,
    bound: Any = None,
    error: str = "",
    error_code: str = "",
    revealed: dict[tuple[int, str], str] | None = None,
    reveal_form: RevealForm | None = None,
) -> dict[str, Any]:
    user = request.user
    parties = list(
        Party.objects.filter(mediation=m).select_related("asked_for", "refused").order_by("pk")
    )
    offered = available_actions(user, m)
    if bound is not None and bound.action not in offered:
        offered.append(bound.action)  # the form just posted shows again, with its errors
    forms: list[tuple[ActionSpec, Any]] = []
    for key in offered:
        here = bound if bound is not None and bound.action == key else None
        forms.append((ACTIONS[key], here or make_form(key, m, parties)))
    items = checklist(m)
    today = timezone.localdate()
    return {
        "m": m,
        "tone": STATUS_TONE.get(m.status, "new"),
        "days_left": m.days_left(today) if m.is_open else None,
        "parties": _party_rows(parties, user.has_perm("mediation.reveal_party", m), revealed or {}),
        "reveal_form": reveal_form or RevealForm(),
        "mediators": list(m.mediators.order_by("name")),
        "sessions": list(
            Session.objects.filter(mediation=m)
            .prefetch_related(
                Prefetch("parties", queryset=Party.objects.order_by("pk")),
                Prefetch("mediators", queryset=Person.objects.order_by("name")),
            )
            .order_by("held_at", "pk")
        ),
        "follow_ups": list(
            FollowUp.objects.filter(mediation=m)
            .select_related("visitor__person")
            .order_by("visited_on", "pk")
        ),
        "papers": list(Document.objects.filter(mediation=m).order_by("added_at", "pk")),
        "routes_told": [str(Route(r).label) for r in m.routes_told if r in Route.values],
        "checklist": items,
        "missing": law.missing_required(items),
        "confirmation_by": law.confirmation_deadline(m.agreed_on) if m.agreed_on else None,
        "timeline": list(
            MediationEvent.objects.filter(mediation=m)
            .select_related("actor__person")
            .order_by("at", "pk")
        ),
        "forms": forms,
        "error": error,
        "error_code": error_code,
        "open_action": bound.action if bound is not None else request.GET.get("act", ""),
        **downloads(m),
    }


@login_required
@require_GET
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    m = visible_mediation(request.user, pk)
    return render(request, "mediation/detail.html", case_context(request, m))


@login_required
@require_GET
def paper(request: AuthenticatedRequest, pk: int, paper_pk: int) -> HttpResponseBase:
    """A paper of a case the user may see, never straight from MEDIA_ROOT."""
    m = get_object_or_404(Mediation.objects.visible_to(request.user).only("pk"), pk=pk)
    doc = get_object_or_404(Document.objects.filter(mediation=m), pk=paper_pk)
    if not doc.file:
        raise Http404
    try:
        handle = doc.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="application/octet-stream", as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
