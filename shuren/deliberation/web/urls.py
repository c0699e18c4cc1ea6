"""URLs of the consultation pages ("deliberation" namespace): meetings, votes, elevators."""

from django.urls import path

from shuren.deliberation.web import elevator_actions, elevator_page, elevator_views, vote_views
from shuren.deliberation.web.elevator_forms import ACTIONS

app_name = "deliberation"
urlpatterns = [
    path("votes/<int:pk>/", vote_views.vote, name="vote"),
    path("elevators/", elevator_views.elevators, name="elevators"),
    path("elevators/overview/", elevator_views.overview, name="elevator_overview"),
    path("elevators/<int:pk>/", elevator_page.elevator, name="elevator"),
    # One address per action, named by the domain's action (rules.available_actions).
    *(
        path(
            f"elevators/<int:pk>/{spec.slug}/",
            getattr(elevator_actions, spec.key),
            name=spec.name,
        )
        for spec in ACTIONS.values()
    ),
]
