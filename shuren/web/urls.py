"""URLs of the web app: the home page, a leader's 我的楼栋 and my data (我的数据)."""

from django.urls import path

from shuren.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("buildings/", views.my_buildings, name="buildings"),
    path("me/data/", views.my_data, name="my_data"),
]
