"""URLs of the access app: the access log, for the auditor."""

from django.urls import path

from shuren.access import views

app_name = "access"
urlpatterns = [
    path("log/", views.access_log, name="log"),
]
