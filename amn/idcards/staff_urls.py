from django.urls import path

from amn.idcards import staff_views

app_name = "idcards-staff"

urlpatterns = [
    path("", staff_views.worklist, name="worklist"),
    path("declare-loss/", staff_views.declare_loss, name="declare-loss"),
    path("consents/new/", staff_views.consent_new, name="consent-new"),
    path("<uuid:application_id>/", staff_views.application_detail, name="detail"),
    path("<uuid:application_id>/step/", staff_views.application_step, name="step"),
]
