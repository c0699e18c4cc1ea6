"""Open311 GeoReport v2's addresses, each with its format suffix (.json or .xml)."""

from __future__ import annotations

from django.urls import path, re_path
from django.views.generic import RedirectView

from shuren.api.open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    path("", RedirectView.as_view(url="discovery.json"), name="root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[-\w]{1,40})" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests_, name="requests"),
    re_path(r"^requests/(?P<number>[-\w]{1,40})" + FMT, views.one_request, name="request"),
    re_path(r"^tokens/(?P<value>[-\w]{1,40})" + FMT, views.token, name="token"),
]
