"""The intake pages: a resident reports a matter, a leader enters one for someone, staff enter one.

One short form each (place, kind, a few words, photos), no captcha. Likely duplicates are offered
while the form is filled in and once more on submit, as a confirm step: add to one of them, or
submit anyway. The form carries an Idempotency-Key made when it is shown, so a second tap or a
network retry finds the case the first one made. The views validate and call the actions; the
actions check the permission again.

With htmx the form posts in place: the photos stay chosen through the confirm step, and success
is a client redirect to the case page. Without JavaScript every step is a whole page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from shuren.accounts.http import AuthenticatedRequest
from shuren.accounts.models import User
from shuren.cases.actions import add_note, report_case
from shuren.cases.choices import EventKind
from shuren.cases.intake.duplicates import Similar, similar_cases
from shuren.cases.intake.policy import Mode, Places, may_use, places_for
from shuren.cases.models import Case, CaseEvent, IdempotencyKey
from shuren.cases.web.intake_forms import (
    FORMS,
    IntakeForm,
    as_int,
    category_sections,
    leaf_categories,
    name_options,
    picker_for,
)
from shuren.places.models import Place
from shuren.text import has_unsafe_characters

HEADINGS = {
    Mode.RESIDENT: gettext_lazy("Report a matter"),
    Mode.LEADER: gettext_lazy("Enter a matter for a resident"),
    Mode.STAFF: gettext_lazy("Enter a matter"),
}
LEADS = {
    Mode.RESIDENT: gettext_lazy(
        "Tell us what is wrong near your home. Your building leader sees it at once, and you "
        "can follow it on the case page."
    ),
    Mode.LEADER: gettext_lazy(
        "Record a matter a resident raised with you, or one you found on patrol."
    ),
    Mode.STAFF: gettext_lazy(
        "Record a matter from the reception day, a call, a visit or the joint meeting."
    ),
}
# A note repeated by a second tap within this time is not written twice.
REPEAT_WINDOW = dt.timedelta(minutes=10)


def case_url(case: Case) -> str:
    """The case page, where the reporter follows the matter by its number."""
    return reverse("cases:detail", kwargs={"pk": case.pk})


@dataclass
class Offer:
    """A likely duplicate as the reporter sees it."""

    case: Case
    score: float
    can_add: bool
    url: str


def _offers(user: Any, similar: list[Similar]) -> list[Offer]:
    return [
        Offer(
            case=item.case,
            score=item.score,
            # A settled matter that happens again is a new matter; a note on it reaches nobody.
            can_add=item.case.is_open and user.has_perm("cases.add_note", item.case),
            url=case_url(item.case),
        )
        for item in similar
    ]


def _places_or_404(request: HttpRequest, mode: Mode) -> Places:
    places = places_for(request.user, mode)
    if not places:
        raise Http404
    return places


def _context(
    request: HttpRequest,
    mode: Mode,
    form: IntakeForm,
    places: Places,
    *,
    browse: Any = None,
    offers: list[Offer] | None = None,
    confirm: bool = False,
) -> dict[str, Any]:
    photos_sent = bool(request.FILES.getlist("photos"))
    return {
        "mode": mode.value,
        "form": form,
        "action": request.path,
        "heading": HEADINGS[mode],
        "lead": LEADS[mode],
        "picker": picker_for(places, browse=browse, selected=form["place"].value()),
        "sections": category_sections(),
        "names": name_options(request.user) if mode != Mode.RESIDENT else [],
        "offers": offers or [],
        "confirm": confirm,
        # A page drawn afresh cannot keep the files the browser had chosen.
        "photos_again": photos_sent and not form.errors.get("photos"),
    }


def _page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "cases/intake/form.html", context)


def _go(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _invalid(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    if getattr(request, "htmx", False):
        response = render(request, "cases/intake/_form.html", context)
        return reswap(retarget(response, "#intake-form"), "outerHTML")
    return _page(request, context)


def _key_used(user: Any, key: str) -> bool:
    """The key already made a case: report_case() will hand it back, so no confirm step."""
    if not key:
        return False
    since = timezone.now() - IdempotencyKey.TTL
    return IdempotencyKey.objects.filter(user=user, key=key, created_at__gte=since).exists()


def _noted_recently(user: Any, case: Case, note: str) -> bool:
    since = timezone.now() - REPEAT_WINDOW
    return CaseEvent.objects.filter(
        case=case, actor=user, kind=EventKind.NOTED, note=note, at__gte=since
    ).exists()


def _add_to(
    request: HttpRequest, mode: Mode, form: IntakeForm, places: Places, pk: int
) -> HttpResponse:
    """Add the report to a case the user picked as the same matter: a note on its timeline,
    with the report's photos."""
    user = _user(request)
    case = get_object_or_404(Case.objects.visible_to(user), pk=pk)
    if not (case.is_open and user.has_perm("cases.add_note", case)):
        form.add_error(
            None,
            _("You cannot add to %(number)s; submit yours as a new matter.")
            % {"number": case.number},
        )
        return _invalid(request, _context(request, mode, form, places))
    note = form.note_text()
    if not _noted_recently(user, case, note):
        try:
            add_note(
                actor=user,
                case=case,
                note=note,
                photos=[photo.as_file() for photo in form.clean_photo_list],
            )
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _messages(error))
            return _invalid(request, _context(request, mode, form, places))
    messages.success(request, _("Your report was added to %(number)s.") % {"number": case.number})
    return _go(request, case_url(case))


def _messages(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or _("You may not report a matter here.")


def _user(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind login_required)."""
    assert isinstance(request.user, User)
    return request.user


def _intake(request: HttpRequest, mode: Mode) -> HttpResponse:
    user = _user(request)
    places = _places_or_404(request, mode)
    form_class = FORMS[mode]

    if request.method == "GET":
        browse = request.GET.get("browse")
        if getattr(request, "htmx", False) and browse is not None:
            # One level of the place tree, swapped into the form in place.
            picker = picker_for(places, browse=browse)
            return render(
                request,
                "cases/intake/_place_picker.html",
                {"picker": picker, "mode": mode.value, "action": request.path},
            )
        default = places.default
        form = form_class(
            user=user,
            places=places,
            initial={"idempotency_key": uuid.uuid4().hex, "place": default.pk if default else None},
        )
        return _page(request, _context(request, mode, form, places, browse=browse))

    if "browse" in request.POST:
        # Moving in the place tree without JavaScript: keep what was typed, check nothing yet.
        kept = {k: v for k, v in request.POST.dict().items() if k != "csrfmiddlewaretoken"}
        form = form_class(user=user, places=places, initial=kept)
        return _page(request, _context(request, mode, form, places, browse=request.POST["browse"]))

    form = form_class(request.POST, request.FILES, user=user, places=places)
    if not form.is_valid():
        return _invalid(request, _context(request, mode, form, places))
    data = form.cleaned_data
    key = data["idempotency_key"]

    add_to = as_int(request.POST.get("add_to"))
    if add_to:
        return _add_to(request, mode, form, places, add_to)

    if request.POST.get("confirm") != "new" and not _key_used(user, key):
        similar = similar_cases(
            user=user,
            place=data["place"],
            category=data["category"],
            title=data["title"],
            description=data["description"],
        )
        if similar:
            offers = _offers(user, similar)
            context = _context(request, mode, form, places, offers=offers, confirm=True)
            if getattr(request, "htmx", False):
                # The form stays on the page with its chosen photos; only the question is added.
                return render(request, "cases/intake/_confirm.html", context)
            return _page(request, context)

    try:
        case = report_case(actor=user, idempotency_key=key, **form.report_kwargs())
    except (ValidationError, PermissionDenied) as error:
        form.add_error(None, _messages(error))
        return _invalid(request, _context(request, mode, form, places))
    messages.success(
        request,
        _("Recorded as %(number)s. Follow it on this page.") % {"number": case.number},
    )
    return _go(request, case_url(case))


@login_required
@require_http_methods(["GET", "POST"])
def report(request: AuthenticatedRequest) -> HttpResponse:
    """A resident reports a matter at home (their unit, building or estate)."""
    return _intake(request, Mode.RESIDENT)


@login_required
@require_http_methods(["GET", "POST"])
def quick_entry(request: AuthenticatedRequest) -> HttpResponse:
    """A leader enters a matter for someone, with the channel it came by."""
    return _intake(request, Mode.LEADER)


@login_required
@require_http_methods(["GET", "POST"])
def staff_entry(request: AuthenticatedRequest) -> HttpResponse:
    """Community or subdistrict staff enter a matter: any channel, risk level, parties."""
    return _intake(request, Mode.STAFF)


@login_required
@require_GET
def duplicates(request: AuthenticatedRequest) -> HttpResponse:
    """Likely duplicates of what is being typed (an htmx partial of the intake forms)."""
    user = request.user
    if not any(may_use(user, mode) for mode in Mode):
        raise Http404
    offers: list[Offer] = []
    title = request.GET.get("title", "").strip()[:200]
    place_pk, category_pk = as_int(request.GET.get("place")), as_int(request.GET.get("category"))
    place = Place.objects.visible_to(user).filter(pk=place_pk or 0).first()
    category = leaf_categories().filter(pk=category_pk or 0).first()
    description = request.GET.get("description", "").strip()[:2000]
    # Text that could not be saved finds no duplicates (the form itself says why).
    if has_unsafe_characters(title + description):
        title = ""
    if title and place is not None and category is not None:
        similar = similar_cases(
            user=user,
            place=place,
            category=category,
            title=title,
            description=description,
        )
        offers = _offers(user, similar)
    return render(request, "cases/intake/_duplicates.html", {"offers": offers, "confirm": False})
