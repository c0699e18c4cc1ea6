"""URLs of the mediation pages ("mediation" namespace): the register, registering a dispute, the
statistics, the case page, its papers as PDFs and its actions."""

from django.urls import path

from shuren.mediation.web import case_actions, case_page, papers_views, views
from shuren.mediation.web.action_forms import ACTIONS

app_name = "mediation"
urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.new, name="new"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/xlsx/", views.statistics_download, name="statistics_xlsx"),
    path("<int:pk>/", case_page.detail, name="detail"),
    path("<int:pk>/papers/<int:paper_pk>/", case_page.paper, name="paper"),
    path("<int:pk>/papers/agreement.pdf", papers_views.agreement, name="paper_agreement"),
    path("<int:pk>/papers/registration.pdf", papers_views.registration, name="paper_registration"),
    path("<int:pk>/papers/follow-up.pdf", papers_views.follow_up, name="paper_follow_up"),
    path("<int:pk>/papers/file.pdf", papers_views.case_file, name="paper_file"),
    path("<int:pk>/reveal/", case_actions.reveal, name="reveal"),
    # One address per action, named by the domain's action (law.ACTIONS).
    *(
        path(f"<int:pk>/{spec.slug}/", getattr(case_actions, spec.key), name=spec.key)
        for spec in ACTIONS.values()
    ),
]
