"""URLs of the case inbox pages (included by cases/urls.py, in the "cases" namespace)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
