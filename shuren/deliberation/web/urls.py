"""URLs of the consultation pages ("deliberation" namespace): meetings, votes, elevators."""

from django.urls import path

from shuren.deliberation.web import (
    elevator_actions,
    elevator_new,
    elevator_page,
    elevator_views,
    meeting_actions,
    meeting_views,
    vote_actions,
    vote_files,
    vote_views,
)
from shuren.deliberation.web.elevator_forms import ACTIONS

app_name = "deliberation"
urlpatterns = [
    path("votes/", vote_views.vote_list, name="votes"),
    path("votes/new/", vote_actions.new, name="vote_new"),
    path("votes/<int:pk>/", vote_views.vote, name="vote"),
    path("elevators/", elevator_views.elevators, name="elevators"),
    path("elevators/overview/", elevator_views.overview, name="elevator_overview"),
    path("elevators/new/", elevator_new.new, name="elevator_new"),
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
    path("votes/<int:pk>/ballot/", vote_actions.cast, name="vote_cast"),
    path("votes/<int:pk>/enter/", vote_actions.enter, name="vote_enter"),
    path("votes/<int:pk>/close/", vote_actions.close, name="vote_close"),
    path("votes/<int:pk>/recount/", vote_actions.recount, name="vote_recount"),
    path("votes/<int:pk>/cancel/", vote_actions.cancel, name="vote_cancel"),
    path("votes/<int:pk>/result/", vote_views.result, name="vote_result"),
    path("votes/<int:pk>/notice.pdf", vote_files.notice, name="vote_notice"),
    path("votes/<int:pk>/papers/<int:paper_pk>/", vote_files.paper, name="vote_paper"),
    path("meetings/", meeting_views.meetings, name="meetings"),
    path("meetings/new/", meeting_views.new_meeting, name="meeting_new"),
    path("meetings/check-in/", meeting_views.checkin_by_code, name="meeting_checkin_code"),
    path("meetings/<int:pk>/", meeting_views.meeting, name="meeting"),
    path("meetings/<int:pk>/check-in/", meeting_views.checkin, name="meeting_checkin"),
    path(
        "meetings/<int:pk>/attendance/",
        meeting_actions.mark_attendance,
        name="meeting_attendance",
    ),
    path("meetings/<int:pk>/agenda/", meeting_actions.add_agenda_item, name="meeting_agenda"),
    path("meetings/<int:pk>/minutes/", meeting_actions.draft_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/approve/", meeting_actions.approve_minutes, name="meeting_approve"),
    path("meetings/<int:pk>/decision/", meeting_actions.record_decision, name="meeting_decision"),
    path("meetings/<int:pk>/cancel/", meeting_actions.cancel_meeting, name="meeting_cancel"),
    path("meetings/<int:pk>/done/", meeting_actions.complete_decision, name="meeting_done"),
    path("meetings/<int:pk>/drop/", meeting_actions.cancel_decision, name="meeting_drop"),
]
