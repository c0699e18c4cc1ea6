"""The pages of insights (namespace "insights")."""

from django.urls import URLPattern

app_name = "insights"
urlpatterns: list[URLPattern] = []
