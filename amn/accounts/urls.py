from django.contrib.auth import views as auth_views
from django.urls import path

from amn.accounts import views

app_name = "accounts"

urlpatterns = [
    path("staff/login/", views.StaffLoginView.as_view(), name="staff-login"),
    path("staff/otp/", views.staff_otp, name="staff-otp"),
    path("login/", views.CitizenLoginView.as_view(), name="citizen-login"),
    path("register/", views.citizen_register_view, name="citizen-register"),
    path("logout/", auth_views.LogoutView.as_view(next_page="portal:home"), name="logout"),
]
