"""Pages of one place and one household, only inside the user's scope (404 outside it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from shuren.access.masking import mask_phone
from shuren.accounts.http import AuthenticatedRequest
from shuren.people.models import Person, Team
from shuren.places.models import HOUSEHOLD_PLACE_KINDS, Household, Place, PlaceKind, Resident, Shop
from shuren.places.queries import branch_counts, household_rows, households_under

PER_PAGE = 20


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
    residents = (
        Resident.objects.visible_to(user)
        .current()
        .filter(household=household)
        .select_related("person")
        .order_by("pk")
    )
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
                }
                for r in residents
            ],
            "owners": [o.name for o in owners],
        },
    )
