from django.urls import path

from amn.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("stations/", views.stations, name="stations"),
    path("my-requests/", views.my_requests, name="my-requests"),
]
