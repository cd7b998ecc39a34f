from django.urls import path

from amn.hr import views

app_name = "hr"
urlpatterns = [
    path("", views.staff_list_page, name="staff-list"),
    path("<int:pk>/", views.staff_detail_page, name="staff-detail"),
]
