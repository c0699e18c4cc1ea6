"""URLs of the audit trail: the auditor's page and its export."""

from django.urls import path

from shuren.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_log, name="log"),
    path("export/", views.export, name="export"),
]
