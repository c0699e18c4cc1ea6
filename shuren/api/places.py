"""API endpoints for the place tree, always within the caller's scope."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Query, Router

from shuren.api.auth import ApiRequest
from shuren.api.schemas import ERRORS, PageIn, PlaceFiltersIn, PlaceOut, PlacePageOut
from shuren.places.models import Place, PlaceQuerySet

router = Router(tags=["places"])


def _page(queryset: PlaceQuerySet, page: PageIn) -> dict[str, object]:
    # Ordered by path: stable across pages, and a parent always comes before its children.
    queryset = queryset.order_by("path")
    count = queryset.count()
    items = list(queryset[page.offset : page.offset + page.limit]) if count > page.offset else []
    return {"count": count, "limit": page.limit, "offset": page.offset, "items": items}


@router.get("", response={200: PlacePageOut, **ERRORS}, summary="Places in my scope")
def list_places(request: ApiRequest, filters: Query[PlaceFiltersIn]) -> dict[str, object]:
    places = Place.objects.visible_to(request.auth)
    if filters.kind:
        places = places.filter(kind=filters.kind)
    if filters.parent is not None:
        places = places.filter(parent_id=filters.parent)
    if filters.q:
        places = places.filter(name__icontains=filters.q.strip())
    return _page(places, filters)


@router.get("/{int:place_id}", response={200: PlaceOut, **ERRORS}, summary="One place")
def get_place(request: ApiRequest, place_id: int) -> Place:
    return get_object_or_404(Place.objects.visible_to(request.auth), pk=place_id)


@router.get(
    "/{int:place_id}/children",
    response={200: PlacePageOut, **ERRORS},
    summary="The places directly under one place",
)
def list_children(request: ApiRequest, place_id: int, page: Query[PageIn]) -> dict[str, object]:
    visible = Place.objects.visible_to(request.auth)
    place = get_object_or_404(visible.only("pk"), pk=place_id)
    return _page(visible.filter(parent_id=place.pk), page)
