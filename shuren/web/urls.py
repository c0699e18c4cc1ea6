"""URLs of the web app: the home page and a leader's 我的楼栋."""

from django.urls import path

from shuren.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("buildings/", views.my_buildings, name="buildings"),
]
