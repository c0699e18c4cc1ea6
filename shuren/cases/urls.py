"""URLs of the cases app: intake pages and the inbox/case pages live in their own modules."""

from django.urls import include, path

app_name = "cases"
urlpatterns = [
    path("", include("shuren.cases.web.urls_intake")),
    path("", include("shuren.cases.web.urls_inbox")),
]
