from django.urls import path

from amn.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("people/", views.people, name="people"),
    path("people/<uuid:person_id>/", views.person_detail, name="person-detail"),
]
