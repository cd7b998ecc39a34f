from django.urls import path

from amn.mobileunits import views

app_name = "mobileunits-staff"

urlpatterns = [
    path("", views.fleet_page, name="fleet"),
    path("tours/", views.tour_list_page, name="tours"),
    path("tours/<uuid:tour_id>/", views.tour_page, name="tour"),
    path("tours/<uuid:tour_id>/close/", views.tour_close_page, name="tour-close"),
    path("stops/<uuid:stop_id>/results/", views.stop_results_page, name="stop-results"),
]
