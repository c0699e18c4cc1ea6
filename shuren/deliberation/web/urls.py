"""URLs of the consultation pages ("deliberation" namespace): meetings, votes, elevators."""

from django.urls import path

from shuren.deliberation.web import vote_views

app_name = "deliberation"
urlpatterns = [
    path("votes/<int:pk>/", vote_views.vote, name="vote"),
]
