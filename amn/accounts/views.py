import base64
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amn.accounts.forms import CitizenLoginForm, CitizenRegisterForm, OtpForm, StaffLoginForm
from amn.accounts.lockout import lockout_username
from amn.accounts.mfa import confirmed_device, enrolment_device, enrolment_qr_svg, otp_check
from amn.accounts.services import citizen_register
from amn.core.errors import DomainError
from amn.core.ratelimits import rate_limit

LOGIN_RATE_PER_CLIENT = "30/m"
LOGIN_RATE_PER_IDENTITY = "10/m"
OTP_RATE_PER_ACCOUNT = "10/m"


class RateLimitedLoginMixin:
    """Sign-in attempts counted per client and per identity typed (429 beyond), beside
    django-axes' lockout after 5 failures."""

    def post(self, request, *args, **kwargs):
        rate_limit(request, group="accounts.login", rate=LOGIN_RATE_PER_CLIENT)
        rate_limit(
            request,
            group="accounts.login.identity",
            rate=LOGIN_RATE_PER_IDENTITY,
            key=lambda _g, r: lockout_username(r, r.POST),
        )
        return super().post(request, *args, **kwargs)


class StaffLoginView(RateLimitedLoginMixin, auth_views.LoginView):
    """Staff sign-in (username and password, locked after 5 failures by django-axes)."""

    template_name = "accounts/staff_login.html"
    authentication_form = StaffLoginForm
    next_page = reverse_lazy("backoffice:dashboard")

    def get_context_data(self, **kwargs):
        return super().get_context_data(ended="ended" in self.request.GET, **kwargs)

    def get_success_url(self):
        """The password is only the first step: go on to the authenticator code."""
        query = urlencode({"next": super().get_success_url()})
        return f"{reverse('accounts:staff-otp')}?{query}"


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("backoffice:dashboard")


@login_required(login_url="accounts:staff-login")
@require_http_methods(["GET", "POST"])
def staff_otp(request):
    """GET/POST /accounts/staff/otp/: the second sign-in step for staff — enter the code of
    the authenticator app, or enrol one first (QR code, then a first code confirms it)."""
    user = request.user
    if not user.is_staff_member:
        return redirect("portal:home")
    if user.is_verified():
        return redirect(_safe_next(request))
    device = confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = enrolment_device(user)
    form = OtpForm(request.POST or None)
    if request.method == "POST":
        rate_limit(request, group="accounts.otp", rate=OTP_RATE_PER_ACCOUNT, key="user")
    if request.method == "POST" and form.is_valid():
        if otp_check(request, device, form.cleaned_data["code"]):
            request.session.cycle_key()
            return redirect(_safe_next(request))
        form.add_error("code", _("This code is not valid. Wait for the next code and try again."))
    context = {"form": form, "enrolling": enrolling, "next": _safe_next(request)}
    if enrolling:
        context["qr_svg"] = enrolment_qr_svg(device)
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/staff_otp.html", context)


class CitizenLoginView(RateLimitedLoginMixin, auth_views.LoginView):
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
