"""URLs of the cases app ("cases" namespace): intake, the inbox, the case page, its actions."""

from django.urls import path

from shuren.cases.web import case_actions, case_page, desk_views, inbox_views, intake_views

app_name = "cases"
urlpatterns = [
    path("report/", intake_views.report, name="report"),
    path("report/duplicates/", intake_views.duplicates, name="report-duplicates"),
    path("quick/", intake_views.quick_entry, name="quick-entry"),
    path("staff/", intake_views.staff_entry, name="staff-entry"),
    path("", inbox_views.inbox, name="inbox"),
    path("dispatch/", desk_views.dispatch, name="dispatch"),
    path("<int:pk>/", case_page.case_detail, name="detail"),
    path("<int:pk>/photos/<int:photo_pk>/", case_page.case_photo, name="photo"),
    path("<int:pk>/accept/", case_actions.accept, name="accept"),
    path("<int:pk>/assign/", case_actions.assign, name="assign"),
    path("<int:pk>/note/", case_actions.add_note, name="note"),
    path("<int:pk>/escalate/", case_actions.escalate, name="escalate"),
    path("<int:pk>/return/", case_actions.return_case, name="return"),
    path("<int:pk>/resolve/", case_actions.resolve, name="resolve"),
    path("<int:pk>/follow-up/", case_actions.follow_up, name="follow_up"),
    path("<int:pk>/rate-on-behalf/", case_actions.rate_on_behalf, name="rate_on_behalf"),
    path("<int:pk>/close/", case_actions.close, name="close"),
    path("<int:pk>/merge/", case_actions.merge, name="merge"),
    path("<int:pk>/reject/", case_actions.reject, name="reject"),
    path("<int:pk>/reveal-phone/", case_actions.reveal_phone, name="reveal_phone"),
]
