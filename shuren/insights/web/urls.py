"""The pages of insights (namespace "insights")."""

from django.urls import URLPattern, path

from shuren.insights.web import alert_views

app_name = "insights"
urlpatterns: list[URLPattern] = [
    path("alerts/", alert_views.alert_list, name="alerts"),
    path("alerts/<int:pk>/", alert_views.alert_detail, name="alert"),
    path("alerts/<int:pk>/acknowledge/", alert_views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/close/", alert_views.alert_close, name="alert_close"),
]
