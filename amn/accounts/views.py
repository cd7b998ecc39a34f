from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amn.accounts.forms import CitizenLoginForm, CitizenRegisterForm, StaffLoginForm
from amn.accounts.services import citizen_register
from amn.core.errors import DomainError


class StaffLoginView(auth_views.LoginView):
    """Staff sign-in (username and password, locked after 5 failures by django-axes)."""

    template_name = "accounts/staff_login.html"
    authentication_form = StaffLoginForm
    next_page = reverse_lazy("backoffice:dashboard")


class CitizenLoginView(auth_views.LoginView):
    """Citizen sign-in with e-mail or Moroccan phone number and password."""

    template_name = "accounts/citizen_login.html"
    authentication_form = CitizenLoginForm
    next_page = reverse_lazy("portal:my-requests")


@require_http_methods(["GET", "POST"])
def citizen_register_view(request):
    """GET/POST /accounts/register/: create a citizen account and sign it in."""
    form = CitizenRegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = citizen_register(**form.cleaned_data)
        except DomainError as problem:
            form.add_error(None, str(problem))
        else:
            login(request, user, backend="amn.accounts.backends.EmailOrPhoneBackend")
            messages.success(request, _("Your account is ready."))
            return redirect("portal:my-requests")
    return render(request, "accounts/citizen_register.html", {"form": form})
