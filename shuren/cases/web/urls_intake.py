"""URLs of the case intake pages (included by cases/urls.py, in the "cases" namespace)."""

from django.urls import path

from shuren.cases.web import intake_views as views_intake

urlpatterns = [
    path("report/", views_intake.report, name="report"),
    path("report/duplicates/", views_intake.duplicates, name="report-duplicates"),
    path("quick/", views_intake.quick_entry, name="quick-entry"),
    path("staff/", views_intake.staff_entry, name="staff-entry"),
]
