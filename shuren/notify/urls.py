"""URLs of the notification list."""

from django.urls import path

from shuren.notify import views, views_settings

app_name = "notify"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("read/", views.mark_notifications_read, name="read"),
    path("settings/", views_settings.preferences, name="preferences"),
    path("teams/<int:pk>/robot/", views_settings.team_robot, name="team_robot"),
]
