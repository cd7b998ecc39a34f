"""A URL configuration with one view that fails, for the error-page tests."""

from django.urls import include, path


def fail(request):
    raise RuntimeError("SELECT secret FROM settings -- boom")


urlpatterns = [path("boom/", fail), path("", include("amn.urls"))]
handler500 = "amn.portal.views.server_error"
