from django.urls import path

from amn.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.index, name="index"),
    path("entries/", views.entries, name="entries"),
    path("<slug:code>/", views.dashboard, name="dashboard"),
    path("<slug:code>/records/", views.records, name="records"),
]
