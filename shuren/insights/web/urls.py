"""The pages of insights (namespace "insights")."""

from django.urls import URLPattern, path

from shuren.insights.web import register_views

app_name = "insights"
urlpatterns: list[URLPattern] = [
    path("register/", register_views.register_view, name="register"),
    path("register/files/", register_views.files_view, name="register-files"),
    path(
        "register/files/<int:pk>/download/",
        register_views.download_view,
        name="register-download",
    ),
]
