"""URLs of the inbox and the case page with its actions (in the "cases" namespace)."""

from django.urls import path

from shuren.cases.web import case_views as views_case
from shuren.cases.web import inbox_views as views_inbox

urlpatterns = [
    path("", views_inbox.inbox, name="inbox"),
    path("<int:pk>/", views_case.case_detail, name="detail"),
    path("<int:pk>/photos/<int:photo_pk>/", views_case.case_photo, name="photo"),
    path("<int:pk>/accept/", views_case.accept, name="accept"),
    path("<int:pk>/assign/", views_case.assign, name="assign"),
    path("<int:pk>/note/", views_case.add_note, name="note"),
    path("<int:pk>/escalate/", views_case.escalate, name="escalate"),
    path("<int:pk>/return/", views_case.return_case, name="return"),
    path("<int:pk>/resolve/", views_case.resolve, name="resolve"),
    path("<int:pk>/follow-up/", views_case.follow_up, name="follow_up"),
    path("<int:pk>/close/", views_case.close, name="close"),
    path("<int:pk>/merge/", views_case.merge, name="merge"),
    path("<int:pk>/reject/", views_case.reject, name="reject"),
    path("<int:pk>/reveal-phone/", views_case.reveal_phone, name="reveal_phone"),
]
