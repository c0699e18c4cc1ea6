"""URLs of the web app: the home page."""

from django.urls import path

from shuren.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
]
