"""Public pages of the indicators (no sign-in), mounted at /statistics/ by amn/urls.py."""

from django.urls import path

from amn.indicators import views

app_name = "statistics"

urlpatterns = [
    path("", views.public_statistics, name="index"),
]
