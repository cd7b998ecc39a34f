"""Back-office pages of the certificate service, mounted at /staff/certificates/."""

from django.urls import path

from amn.certificates import staff_views as views

app_name = "certificates-staff"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<uuid:application_id>/", views.application_detail, name="application"),
    path(
        "applications/<uuid:application_id>/decide/",
        views.application_decide,
        name="decide",
    ),
    path(
        "applications/<uuid:application_id>/confirm/",
        views.application_confirm,
        name="confirm",
    ),
    path(
        "applications/<uuid:application_id>/retry-check/",
        views.application_retry,
        name="retry-check",
    ),
    path("issued/", views.certificate_list, name="certificates"),
    path("issued/<uuid:certificate_id>/", views.certificate_detail, name="certificate"),
    path("issued/<uuid:certificate_id>/pdf/", views.certificate_document, name="certificate-pdf"),
    path(
        "issued/<uuid:certificate_id>/revoke/",
        views.certificate_revoke,
        name="revoke",
    ),
]
