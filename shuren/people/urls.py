"""URLs of the people app: one person, and revealing one of their personal fields."""

from django.urls import path

from shuren.people import views

app_name = "people"
urlpatterns = [
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/reveal/", views.reveal, name="reveal"),
    path("<int:pk>/anonymise/", views.anonymise, name="anonymise"),
]
