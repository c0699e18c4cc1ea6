"""The pages of insights (namespace "insights"): the overview and the records behind a figure."""

from django.urls import URLPattern, path

from shuren.insights.web import views

app_name = "insights"
urlpatterns: list[URLPattern] = [
    path("", views.overview_page, name="overview"),
    path("records/", views.records_page, name="records"),
]
