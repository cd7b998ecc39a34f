from django.contrib import admin
from django.urls import include, path

from amn.api.urls import api

urlpatterns = [
    path("", include("amn.portal.urls")),
    path("accounts/", include("amn.accounts.urls")),
    path("staff/cases/", include("amn.cases.urls")),
    path("staff/indicators/", include("amn.indicators.urls")),
    path("staff/", include("amn.backoffice.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
