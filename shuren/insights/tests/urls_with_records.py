"""The site's routes with a stand-in records page (insights:records), for the report's links
while the records page is not routed on this branch (another part of issue 11 builds it)."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from shuren import urls as site
from shuren.insights.web import urls as insights


def _records(request: HttpRequest) -> HttpResponse:
    return HttpResponse("records")


PATTERNS: list[URLPattern | URLResolver] = [
    *insights.urlpatterns,
    path("records/", _records, name="records"),
]
urlpatterns = [p for p in site.urlpatterns if str(p.pattern) != "insights/"] + [
    path("insights/", include((PATTERNS, "insights")))
]
