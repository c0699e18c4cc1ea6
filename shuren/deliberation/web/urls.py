"""URLs of the consultation pages ("deliberation" namespace): meetings, votes, elevators."""

from django.urls import path

from shuren.deliberation.web import meeting_actions, meeting_views, vote_views

app_name = "deliberation"
urlpatterns = [
    path("votes/<int:pk>/", vote_views.vote, name="vote"),
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
