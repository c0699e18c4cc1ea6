"""The pages of insights (namespace "insights"): the overview and the records behind a figure."""

from django.urls import URLPattern, path

from shuren.insights.web import alert_views, register_views, report_views, scorecard_views, views

app_name = "insights"
urlpatterns: list[URLPattern] = [
    # The overview of a place and period, and the records behind each of its numbers (views.py).
    path("", views.overview_page, name="overview"),
    path("records/", views.records_page, name="records"),
    # The work report and its downloads (report_views.py).
    path("report/", report_views.report_page, name="report"),
    path("report/pdf/", report_views.report_pdf_download, name="report-pdf"),
    path("report/xlsx/", report_views.report_xlsx_download, name="report-xlsx"),
    # The good-governance scorecard of a community's estates (scorecard_views.py).
    path("scorecard/", scorecard_views.scorecard_page, name="scorecard"),
    # The case register (台账) and its files built in the background (register_views.py).
    path("register/", register_views.register_view, name="register"),
    path("register/files/", register_views.files_view, name="register-files"),
    path(
        "register/files/<int:pk>/download/",
        register_views.download_view,
        name="register-download",
    ),
    # Early warning (alert_views.py).
    path("alerts/", alert_views.alert_list, name="alerts"),
    path("alerts/<int:pk>/", alert_views.alert_detail, name="alert"),
    path("alerts/<int:pk>/acknowledge/", alert_views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:pk>/close/", alert_views.alert_close, name="alert_close"),
]
