"""Pages of one person: masked by default; a logged, reasoned reveal for roles that may unmask;
anonymising the record on the person's request (PIPL Art. 47)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shuren.access.actions import may_unmask, reveal_personal_info
from shuren.access.masking import MASKERS
from shuren.accounts.http import AuthenticatedRequest
from shuren.people.actions import anonymise_person
from shuren.people.models import Person, Post
from shuren.places.models import Resident
from shuren.text import UNSAFE_MESSAGE, has_unsafe_characters, strip_invisible

FIELD_LABELS = {"phone": gettext_lazy("Phone"), "id_number": gettext_lazy("ID number")}
SHOW_LABELS = {
    "phone": gettext_lazy("Show the full phone number"),
    "id_number": gettext_lazy("Show the full ID number"),
}


def _field(
    person: Person,
    name: str,
    *,
    can_unmask: bool,
    revealed: str | None = None,
    error: str = "",
    forbidden: bool = False,
) -> dict[str, Any]:
    raw = getattr(person, name)
    return {
        "name": name,
        "label": FIELD_LABELS[name],
        "show_label": SHOW_LABELS[name],
        "value": revealed if revealed is not None else MASKERS[name](raw),
        "empty": not raw,
        "revealed": revealed is not None,
        "can_unmask": can_unmask,
        "error": error,
        "forbidden": forbidden,
        "person": person,
    }


def _page(
    request: HttpRequest, person: Person, fields: dict[str, dict[str, Any]], status: int = 200
) -> HttpResponse:
    user = request.user
    residences = (
        Resident.objects.visible_to(user)
        .current()
        .filter(person=person)
        .select_related("household__place")
        .order_by("pk")
    )
    posts = (
        Post.objects.visible_to(user)
        .active()
        .filter(person=person)
        .select_related("place", "team")
        .order_by("role", "pk")
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "fields": [fields[name] for name in FIELD_LABELS],
            "residences": residences,
            "posts": posts,
            "can_anonymise": user.has_perm("people.anonymise_person", person),
        },
        status=status,
    )


@login_required
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    can_unmask = may_unmask(request.user, person)
    fields = {name: _field(person, name, can_unmask=can_unmask) for name in FIELD_LABELS}
    return _page(request, person, fields)


@login_required
@require_POST
def reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Show one field in full, once, for a stated reason; the action writes the access log."""
    user = request.user
    person = get_object_or_404(Person.objects.visible_to(user), pk=pk)
    name = request.POST.get("field", "")
    if name not in FIELD_LABELS:
        return HttpResponseBadRequest(_("Unknown field."))
    # A reason of nothing but blanks or zero-width characters is no reason.
    reason = strip_invisible(request.POST.get("reason", ""))
    status = 200
    try:
        if not may_unmask(user, person):
            raise PermissionDenied
        if not reason:
            field = _field(
                person, name, can_unmask=True, error=_("Please say why you need to see it.")
            )
            status = 400
        elif has_unsafe_characters(reason):
            field = _field(person, name, can_unmask=True, error=str(UNSAFE_MESSAGE))
            status = 400
        else:
            value = reveal_personal_info(
                user=user,
                person=person,
                field=name,
                reason=reason,
                ip_address=request.META.get("REMOTE_ADDR"),
            )
            field = _field(person, name, can_unmask=True, revealed=value)
    except PermissionDenied:
        field = _field(person, name, can_unmask=False, forbidden=True)
        status = 403

    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "people/_pii_field.html", {"field": field}, status=status)
    else:
        can_unmask = status != 403
        fields = {n: _field(person, n, can_unmask=can_unmask) for n in FIELD_LABELS}
        fields[name] = field
        response = _page(request, person, fields, status=status)
    # A revealed number must not linger in caches or the back-forward history.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def anonymise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """按本人请求匿名化 (PIPL Art. 47): staff who keep the record, with the request noted."""
    user = request.user
    person = get_object_or_404(Person.objects.visible_to(user), pk=pk)
    if not user.has_perm("people.anonymise_person", person):
        raise PermissionDenied
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm: anonymising cannot be undone."))
        return redirect("people:detail", pk=person.pk)
    try:
        anonymise_person(actor=user, person=person, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:detail", pk=person.pk)
    messages.success(request, _("The person's record is anonymised."))
    return redirect("web:home")
