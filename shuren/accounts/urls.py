"""URLs of the accounts app: login, logout, display preferences and my account page."""

from django.urls import path

from shuren.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("prefs/elder/", views.elder_mode, name="elder-mode"),
    path("prefs/language/", views.language, name="language"),
    path("me/", views.account, name="account"),
    path("password/", views.password, name="password"),
]
