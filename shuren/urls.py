"""The site's URL map: each app brings its own urls.py; the API is mounted under /api/v1/.

Uploaded files are never served straight from MEDIA_ROOT: they belong to scoped objects and
go out through views that check the scope first."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from shuren.api.v1 import api as api_v1

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("shuren.web.urls")),
    path("accounts/", include("shuren.accounts.urls")),
    path("places/", include("shuren.places.urls")),
    path("people/", include("shuren.people.urls")),
    path("access/", include("shuren.access.urls")),
    path("audit/", include("shuren.audit.urls")),
    path("cases/", include("shuren.cases.web.urls")),
    path("insights/", include("shuren.insights.web.urls")),
    path("mediation/", include("shuren.mediation.web.urls")),
    path("deliberation/", include("shuren.deliberation.web.urls")),
    path("notifications/", include("shuren.notify.urls")),
    path("api/v1/", api_v1.urls),
    path("open311/v2/", include("shuren.api.open311.urls")),
    path("admin/", admin.site.urls),
]
# The error pages are the web's; an unmatched path under /api/ answers JSON like the API.
handler400 = "shuren.web.errors.bad_request"
handler404 = "shuren.web.errors.page_not_found"
handler403 = "shuren.web.errors.permission_denied"
handler500 = "shuren.web.errors.server_error"
