from django.contrib import admin
from django.urls import include, path

from amn.api.urls import api

urlpatterns = [
    path("", include("amn.portal.urls")),
    path("accounts/", include("amn.accounts.urls")),
    path("certificates/", include("amn.certificates.urls")),
    path("cnie/", include("amn.idcards.urls")),
    path("appointments/", include("amn.appointments.urls")),
    path("permits/", include("amn.permits.urls")),
    path("mobile-units/", include("amn.mobileunits.urls")),
    path("statistics/", include("amn.indicators.public_urls")),
    path("staff/cases/", include("amn.cases.urls")),
    path("staff/certificates/", include("amn.certificates.staff_urls")),
    path("staff/cnie/", include("amn.idcards.staff_urls")),
    path("staff/appointments/", include("amn.appointments.staff_urls")),
    path("staff/permits/", include("amn.permits.staff_urls")),
    path("staff/mobile-units/", include("amn.mobileunits.staff_urls")),
    path("staff/indicators/", include("amn.indicators.urls")),
    path("staff/hr/", include("amn.hr.urls")),
    path("staff/reports/", include("amn.reports.urls")),
    path("reports/", include("amn.reports.public_urls")),
    path("staff/", include("amn.backoffice.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler500 = "amn.portal.views.server_error"
