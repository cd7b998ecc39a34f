from django.urls import path

from amn.mobileunits import views

app_name = "mobileunits"

urlpatterns = [
    path("", views.upcoming_stops_page, name="upcoming"),
]
