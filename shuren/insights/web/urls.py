"""The pages of insights (namespace "insights")."""

from django.urls import URLPattern, path

app_name = "insights"
urlpatterns: list[URLPattern] = []
