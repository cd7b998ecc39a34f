from django.urls import path

from amn.permits import staff_views

app_name = "permits-staff"

urlpatterns = [
    path("", staff_views.residence_list_page, name="residence-list"),
    path("residence/<uuid:application_id>/", staff_views.residence_page, name="residence"),
    path("visas/", staff_views.visa_list_page, name="visa-list"),
    path("visas/<uuid:application_id>/", staff_views.visa_page, name="visa"),
    path("expiring/", staff_views.expiring_page, name="expiring"),
]
