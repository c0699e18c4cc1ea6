"""URLs of the Excel exchange, included by places/urls.py under excel/."""

from django.urls import path

from shuren.places import views_excel

app_name = "excel"
urlpatterns = [
    path("template/", views_excel.template_download, name="excel-template"),
    path("import/", views_excel.import_view, name="excel-import"),
    path("export/", views_excel.export_view, name="excel-export"),
]
