"""Public pages of the certificate service, mounted at /certificates/."""

from django.urls import path

from amn.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("track/", views.track, name="track"),
    path("track/<uuid:application_id>/", views.track_detail, name="track-detail"),
    path(
        "track/<uuid:application_id>/certificate.pdf",
        views.certificate_download,
        name="download",
    ),
    path("verify/", views.verify, name="verify"),
]
