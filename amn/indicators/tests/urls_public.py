"""The project's URLs with the public statistics page mounted at /statistics/, as
amn/urls.py mounts it (`path("statistics/", include("amn.indicators.public_urls"))`)."""

from django.urls import include, path

from amn.urls import urlpatterns as project

mounted = any(getattr(pattern, "namespace", None) == "statistics" for pattern in project)
urlpatterns = (
    project
    if mounted
    else [
        path("statistics/", include("amn.indicators.public_urls")),
        *project,
    ]
)
