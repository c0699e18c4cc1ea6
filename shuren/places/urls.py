"""URLs of the places app: one place, one household, a leader's call to a resident (and the
Excel import and export)."""

from django.urls import include, path

from shuren.places import views

app_name = "places"
urlpatterns = [
    path("<int:pk>/", views.place_detail, name="detail"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("residents/<int:pk>/phone/", views.resident_phone, name="resident-phone"),
    path("excel/", include("shuren.places.excel_urls")),
]
