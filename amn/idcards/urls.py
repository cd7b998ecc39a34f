from django.urls import path

from amn.idcards import views

app_name = "idcards"

urlpatterns = [
    path("", views.index, name="index"),
    path("apply/", views.apply, name="apply"),
    path("track/", views.track, name="track"),
    path("applications/<uuid:application_id>/", views.application_page, name="application"),
    path(
        "applications/<uuid:application_id>/appointment/",
        views.appointment,
        name="appointment",
    ),
    path(
        "applications/<uuid:application_id>/appointment/cancel/",
        views.appointment_cancel,
        name="appointment-cancel",
    ),
    path("applications/<uuid:application_id>/withdraw/", views.withdraw, name="withdraw"),
    path("identity/", views.identity, name="identity"),
    path("identity/consents/", views.consent_grant, name="consent-grant"),
    path(
        "identity/consents/<uuid:consent_id>/revoke/",
        views.consent_revoke,
        name="consent-revoke",
    ),
]
