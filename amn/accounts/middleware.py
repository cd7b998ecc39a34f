"""Staff session controls: the second factor before any staff page, and session limits
(30 minutes idle, 12 hours in all — the CJIS Security Policy's session lock and OWASP ASVS
3.3)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SIGNED_IN_AT = "amn_signed_in_at"
LAST_SEEN_AT = "amn_last_seen_at"
# Reachable before the second factor: the sign-in steps themselves, sign-out, languages.
OPEN_PATHS = ("/accounts/", "/i18n/", "/static/")
SEEN_RESOLUTION = 60  # seconds


class StaffSessionMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware.

    For a signed-in staff member: ends the session after AMN_STAFF_IDLE_SECONDS without a
    request or AMN_STAFF_SESSION_SECONDS after sign-in; then, until a TOTP code has verified
    the session, answers every staff URL with a redirect to the code step (JSON 401 for the
    API). Citizens are not concerned.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_staff_member:
            return self.get_response(request)
        now = int(time.time())
        session = request.session
        signed_in_at = session.setdefault(SIGNED_IN_AT, now)
        last_seen_at = session.get(LAST_SEEN_AT, now)
        if (
            now - last_seen_at > settings.AMN_STAFF_IDLE_SECONDS
            or now - signed_in_at > settings.AMN_STAFF_SESSION_SECONDS
        ):
            logout(request)
            return self._ended(request)
        if now - last_seen_at >= SEEN_RESOLUTION or LAST_SEEN_AT not in session:
            session[LAST_SEEN_AT] = now  # a session write at most once a minute
        if not user.is_verified() and not request.path.startswith(OPEN_PATHS):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "error": {
                            "code": "second_factor_required",
                            "message": _("Confirm your sign-in with your authenticator code."),
                        }
                    },
                    status=401,
                )
            return redirect("accounts:staff-otp")
        return self.get_response(request)

    def _ended(self, request):
        if request.path.startswith("/api/"):
            return JsonResponse(
                {"error": {"code": "session_ended", "message": _("Your session has ended.")}},
                status=401,
            )
        return redirect(reverse("accounts:staff-login") + "?ended=1")
