"""Pages of one place and one household, only inside the user's scope (404 outside it); and a
building leader's reveal of a resident's phone, where the resident agreed (logged)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from shuren.access.actions import leader_sees_phone_of, reveal_personal_info
from shuren.access.masking import mask_phone
from shuren.accounts.http import AuthenticatedRequest
from shuren.people.models import Person, Team
from shuren.places.models import HOUSEHOLD_PLACE_KINDS, Household, Place, PlaceKind, Resident, Shop
from shuren.places.queries import branch_counts, household_rows, households_under

PER_PAGE = 20


def elevator_here(user: Any, place: Place) -> bool:
    """Whether the page offers to register an elevator project here: a stairwell (or a
    building without stairwells) where the user may register one (the consultation's rule)."""
    if place.kind == PlaceKind.BUILDING:
        if place.children.filter(kind=PlaceKind.UNIT).exists():
            return False
    elif place.kind != PlaceKind.UNIT:
        return False
    return bool(user.has_perm("deliberation.create_elevator_project", place))


@login_required
def place_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    place = get_object_or_404(Place.objects.visible_to(user), pk=pk)
    context = {
        "place": place,
        # Only the ancestors this user may open are shown, as links back up the tree.
        "ancestors": list(place.ancestors().visible_to(user)),
        "children": branch_counts(
            user, Place.objects.visible_to(user).filter(parent=place).order_by("path")
        ),
        "teams": list(
            Team.objects.visible_to(user)
            .filter(place=place, dissolved_on__isnull=True)
            .order_by("kind", "name")
        ),
    }
    context["elevator_here"] = elevator_here(user, place)
    if place.kind in HOUSEHOLD_PLACE_KINDS:
        page = Paginator(households_under(user, [place]), PER_PAGE).get_page(
            request.GET.get("page")
        )
        context["households"] = page
        context["household_rows"] = household_rows(page.object_list)
    if place.kind == PlaceKind.STREET:
        shops = Paginator(
            Shop.objects.visible_to(user).filter(place=place).select_related("contact"),
            PER_PAGE,
        ).get_page(request.GET.get("shops"))
        context["shops"] = shops
        context["shop_rows"] = [
            {
                "name": s.name,
                "kind": s.get_kind_display(),
                "contact": s.contact.name if s.contact else "",
                "phone": mask_phone(s.contact.phone) if s.contact else "",
            }
            for s in shops.object_list
        ]
    return render(request, "places/place_detail.html", context)


@login_required
def household_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    household = get_object_or_404(Household.objects.visible_to(user).select_related("place"), pk=pk)
    residents = list(
        Resident.objects.visible_to(user)
        .current()
        .filter(household=household)
        .select_related("person")
        .order_by("pk")
    )
    for resident in residents:
        resident.household = household  # its place is loaded: the phone control asks no query
    owners = Person.objects.visible_to(user).filter(owned_households=household).order_by("name")
    return render(
        request,
        "places/household_detail.html",
        {
            "household": household,
            "chain": list(
                Place.objects.visible_to(user)
                .filter(path__in=household.place.ancestor_paths())
                .order_by("path")
            ),
            "members": [
                {
                    "person_id": r.person_id,
                    "name": r.person.name,
                    "relation": r.get_relation_display(),
                    "phone": mask_phone(r.person.phone),
                    "control": phone_control(user, r),
                }
                for r in residents
            ],
            "owners": [o.name for o in owners],
        },
    )


# --- A leader's call to a resident of their building ----------------------------------------

# The access log's reason for a leader's reveal: the purpose is the one the resident agreed to.
LEADER_REASON = _("Building leader contacting a resident who agreed to it")


def phone_control(user: Any, resident: Resident, *, revealed: str | None = None) -> dict[str, Any]:
    """What places/_household_phone.html shows for one resident (their person and their
    household's place loaded): the masked number, and for their own leader, where the resident
    agreed, a button that reveals it (logged) to call it."""
    return {
        "resident_id": resident.pk,
        "name": resident.person.name,
        "masked": mask_phone(resident.person.phone),
        "empty": not resident.person.phone,
        "can_reveal": leader_sees_phone_of(user, resident),
        "revealed": revealed,
    }


@login_required
@require_POST
def resident_phone(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The resident's phone in full, for the leader of their building, where the resident said
    their leader may see it; the access log records it (reveal_personal_info)."""
    user = request.user
    resident = get_object_or_404(
        Resident.objects.visible_to(user).current().select_related("person", "household__place"),
        pk=pk,
    )
    if not leader_sees_phone_of(user, resident) or not resident.person.phone:
        return _phone_answer(request, phone_control(user, resident), status=403)
    number = reveal_personal_info(
        user=user,
        person=resident.person,
        field="phone",
        reason=str(LEADER_REASON),
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    return _phone_answer(request, phone_control(user, resident, revealed=number))


def _phone_answer(request: HttpRequest, control: dict[str, Any], status: int = 200) -> HttpResponse:
    if status == 403:
        control["error"] = gettext("Only the leader of this building may see this number.")
    response = render(request, "places/_household_phone.html", {"phone": control}, status=status)
    # A revealed number must not linger in caches or the back-forward history.
    response["Cache-Control"] = "no-store"
    return response
