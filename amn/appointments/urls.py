from django.urls import path

from amn.appointments import views

app_name = "appointments"

urlpatterns = [
    path("", views.offices, name="offices"),
]
