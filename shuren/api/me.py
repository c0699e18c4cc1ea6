"""API endpoint describing the caller: who they are, the posts they hold and what they see."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from ninja import Router

from shuren.access.context import scope_of
from shuren.api.auth import ApiRequest
from shuren.api.schemas import ERRORS, MeOut
from shuren.people.models import Post
from shuren.places.models import Place

router = Router(tags=["me"])


def _place_ref(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {"id": place.pk, "name": place.name, "kind": place.kind, "path": place.path}


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Me: my account, posts and scope")
def me(request: ApiRequest) -> dict[str, Any]:
    user = request.auth
    person = user.person
    scope = scope_of(user)

    posts = []
    if person is not None:
        posts = list(
            Post.objects.active()
            .filter(person=person)
            .select_related("place", "team")
            .order_by("role", "place__path", "pk")
        )
    roles = [
        {
            "role": post.role,
            "role_label": str(post.get_role_display()),
            "title": post.title,
            "place": _place_ref(post.place),
            "team": (
                {"id": post.team.pk, "name": post.team.name, "kind": post.team.kind}
                if post.team
                else None
            ),
            "starts_on": post.starts_on,
            "ends_on": post.ends_on,
        }
        for post in posts
    ]

    roots: list[dict[str, Any]] = []
    resident_places: list[dict[str, Any]] = []
    if scope.roots or scope.home_paths:
        root_paths = set(scope.roots)
        for place in Place.objects.filter(path__in=sorted(root_paths | scope.home_paths)).order_by(
            "path"
        ):
            ref = _place_ref(place)
            if place.path in root_paths:
                roots.append(ref)  # type: ignore[arg-type]
            else:
                resident_places.append(ref)  # type: ignore[arg-type]

    return {
        "user": {
            "id": user.pk,
            "username": user.get_username(),
            "name": person.name if person else (user.get_full_name() or user.get_username()),
            "elder_mode": user.elder_mode,
            "language": user.language or settings.LANGUAGE_CODE,
        },
        "roles": roles,
        "scope": {
            "roots": roots,
            "resident_places": resident_places,
            "household_count": len(scope.households),
            "reads_audit": scope.reads_audit,
        },
    }
