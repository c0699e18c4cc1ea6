"""The site's URL map: each app brings its own urls.py; the API is mounted under /api/v1/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from shuren.api.v1 import api as api_v1

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("shuren.web.urls")),
    path("accounts/", include("shuren.accounts.urls")),
    path("places/", include("shuren.places.urls")),
    path("people/", include("shuren.people.urls")),
    path("access/", include("shuren.access.urls")),
    path("api/v1/", api_v1.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
