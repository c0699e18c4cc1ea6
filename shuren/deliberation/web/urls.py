"""URLs of the consultation pages ("deliberation" namespace): meetings, votes, elevators."""

from django.urls import path

from shuren.deliberation.web import vote_actions, vote_files, vote_views

app_name = "deliberation"
urlpatterns = [
    path("votes/", vote_views.vote_list, name="votes"),
    path("votes/new/", vote_actions.new, name="vote_new"),
    path("votes/<int:pk>/", vote_views.vote, name="vote"),
    path("votes/<int:pk>/ballot/", vote_actions.cast, name="vote_cast"),
    path("votes/<int:pk>/enter/", vote_actions.enter, name="vote_enter"),
    path("votes/<int:pk>/close/", vote_actions.close, name="vote_close"),
    path("votes/<int:pk>/recount/", vote_actions.recount, name="vote_recount"),
    path("votes/<int:pk>/cancel/", vote_actions.cancel, name="vote_cancel"),
    path("votes/<int:pk>/result/", vote_views.result, name="vote_result"),
    path("votes/<int:pk>/notice.pdf", vote_files.notice, name="vote_notice"),
    path("votes/<int:pk>/papers/<int:paper_pk>/", vote_files.paper, name="vote_paper"),
]
