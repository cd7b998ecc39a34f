"""Staff pages of the annual report, mounted at /staff/reports/ by amn/urls.py."""

from django.urls import path

from amn.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.staff_index, name="index"),
    path("<int:year>/<slug:unit_code>/", views.staff_report, name="report"),
    path("<int:year>/<slug:unit_code>/report.pdf", views.staff_report_pdf, name="pdf"),
    path("<int:year>/<slug:unit_code>/report.json", views.staff_report_json, name="json"),
    path("<int:year>/<slug:unit_code>/publish/", views.staff_report_publish, name="publish"),
]
