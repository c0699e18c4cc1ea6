"""The JSON API, version 1 (Django Ninja); OpenAPI at /api/v1/openapi.json."""

from ninja import NinjaAPI

from shuren.api import (
    alerts,
    cases,
    elevators,
    me,
    mediations,
    meetings,
    notifications,
    places,
    register,
    stats,
    votes,
)
from shuren.api.auth import api_auth
from shuren.api.errors import install_error_handlers

api = NinjaAPI(
    title="Shuren API",
    version="1",
    description=(
        "Every list and detail is limited to the caller's scope; an id outside it answers "
        "404 exactly like a missing one. Send `Authorization: Bearer <token>` "
        "(`python manage.py createapitoken USERNAME`), or use the logged-in browser session "
        "(writes then need the `X-CSRFToken` header). Lists are pages: `limit` and `offset` in, "
        "`count`, `limit`, `offset` and `items` out. Creating POSTs take an `Idempotency-Key` "
        "header, so a retry returns the first result (200). Errors are "
        '`{"code": …, "message": …}`; messages follow the user\'s language, Chinese first.'
    ),
    urls_namespace="api-v1",
    auth=api_auth,
)
install_error_handlers(api)
api.add_router("", me.router)
api.add_router("/places", places.router)
api.add_router("", cases.router)
api.add_router("", notifications.router)
api.add_router("", stats.router)
api.add_router("", register.router)
api.add_router("", alerts.router)
api.add_router("", mediations.router)
api.add_router("", votes.router)
api.add_router("", meetings.router)
api.add_router("", elevators.router)
