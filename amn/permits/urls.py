from django.urls import path

from amn.permits import views

app_name = "permits"

urlpatterns = [
    path("", views.index, name="index"),
    path("visa/", views.visa_apply, name="visa-apply"),
    path("residence/", views.residence_apply, name="residence-apply"),
    path("submitted/", views.submitted, name="submitted"),
    path("track/", views.track, name="track"),
]
