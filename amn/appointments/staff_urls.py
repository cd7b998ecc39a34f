from django.urls import path

from amn.appointments import views

app_name = "appointments-staff"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("generate/", views.generate, name="generate"),
    path("day/", views.day, name="day"),
    path("slots/<uuid:slot_id>/", views.slot_update, name="slot-update"),
    path("bookings/<uuid:booking_id>/mark/", views.mark, name="mark"),
]
