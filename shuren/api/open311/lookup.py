"""What an Open311 call names, found or refused: the jurisdiction, the service, the place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from shuren.api.open311.render import Refusal
from shuren.cases.models import Category
from shuren.places.models import Place, PlaceKind
from shuren.text import has_unsafe_characters

MAX_ADDRESS = 200


def param(data: Mapping[str, Any], name: str, max_length: int = 4000) -> str:
    """A parameter's text; an empty one is the same as an absent one (the spec says so)."""
    value = str(data.get(name, "") or "").strip()
    if has_unsafe_characters(value):
        raise Refusal(400, _("%(name)s contains control characters.") % {"name": name})
    if len(value) > max_length:
        raise Refusal(
            400,
            _("%(name)s is longer than %(max)d characters.") % {"name": name, "max": max_length},
        )
    return value


def jurisdictions(jurisdiction_id: str) -> list[Place]:
    """The subdistricts a call is about: the one whose official code it names, or all."""
    subdistricts = Place.objects.filter(kind=PlaceKind.SUBDISTRICT).exclude(official_code="")
    if not jurisdiction_id:
        return list(Place.objects.filter(kind=PlaceKind.SUBDISTRICT))
    found = list(subdistricts.filter(official_code=jurisdiction_id))
    if not found:
        raise Refusal(404, _("There is no jurisdiction %(id)s here.") % {"id": jurisdiction_id})
    return found


def within(places: list[Place], field: str = "place_path") -> Q:
    """The rows whose path (`field`) lies under one of these places."""
    q = Q(pk__in=[])
    for place in places:
        q |= Q(**{f"{field}__startswith": place.path})
    return q


def public_services() -> QuerySet[Category]:
    """The categories open to the public: never a neighbour dispute, nor a child of a
    category that is not public."""
    return (
        Category.objects.filter(active=True, may_be_public=True)
        .filter(Q(parent__isnull=True) | Q(parent__may_be_public=True))
        .select_related("parent")
    )


def service(code: str) -> Category:
    if not code:
        raise Refusal(400, _("service_code is required."))
    found = public_services().filter(code=code).first()
    if found is None:
        raise Refusal(404, _("There is no service %(code)s here.") % {"code": code})
    return found


def place_for(
    *, address_id: str, address_string: str, lat: str, long: str, area: list[Place]
) -> Place:
    """The place a request is about, in the jurisdiction, or a refusal in words.

    Places here have no coordinates, so a latitude and longitude alone cannot be placed: the
    request is refused rather than guessed into some building. `address_id` is a place's
    code; `address_string` must name exactly one place (its address, or its name)."""
    _check_coordinates(lat, long)
    in_area = Place.objects.filter(within(area, "path"))
    if address_id:
        found = in_area.filter(code=address_id).first()
        if found is None:
            raise Refusal(400, _("There is no place with address_id %(id)s.") % {"id": address_id})
        return found
    if address_string:
        matches = list(
            in_area.filter(Q(address=address_string) | Q(name=address_string)).order_by("path")[:2]
        )
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise Refusal(
                400,
                _("address_string names more than one place; send its address_id instead."),
            )
        raise Refusal(400, _("No place here has the address %(a)s.") % {"a": address_string})
    if lat or long:
        raise Refusal(
            400,
            _(
                "This jurisdiction cannot place a request by lat and long alone; send "
                "address_string or address_id."
            ),
        )
    raise Refusal(400, _("A location is required: address_string or address_id."))


def _check_coordinates(lat: str, long: str) -> None:
    if not lat and not long:
        return
    try:
        latitude, longitude = float(lat), float(long)
    except ValueError:
        raise Refusal(400, _("lat and long must be numbers, sent together.")) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise Refusal(400, _("lat or long is out of range."))
