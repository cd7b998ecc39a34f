"""Public pages of the annual report (no sign-in), mounted at /reports/ by amn/urls.py."""

from django.urls import path

from amn.reports import views

app_name = "reports_public"
urlpatterns = [
    path("", views.public_latest, name="latest"),
    path("<int:year>/", views.public_report, name="report"),
    path("<int:year>/report.pdf", views.public_report_pdf, name="pdf"),
    path("<int:year>/report.json", views.public_report_json, name="json"),
]
