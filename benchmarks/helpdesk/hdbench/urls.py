"""helpdesk under /helpdesk/, as its install guide mounts it."""

from django.urls import include, path

urlpatterns = [
    path("helpdesk/", include("helpdesk.urls", namespace="helpdesk")),
]
