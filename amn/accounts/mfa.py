"""Second factor for staff: TOTP devices (django-otp, RFC 6238).

Every staff role can reach personal or criminal data, so every staff account needs a
confirmed TOTP device (OWASP ASVS level 3 for such data; the CJIS Security Policy asks for
advanced authentication). Codes are single-use: django-otp refuses a time step at or before
the last one accepted, and throttles repeated failures.
"""

import segno
from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "authenticator"


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed TOTP device, or None when the user has not enrolled yet."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed TOTP device to enrol (made once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def enrolment_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI of `device` as an inline SVG QR code for an authenticator app."""
    return segno.make_qr(device.config_url, error="m").svg_inline(scale=4)


def otp_check(request, device: TOTPDevice, token: str) -> bool:
    """Verify `token` (6 digits) against `device`; on success confirm the device if needed
    and mark the session as verified by it.

    Returns:
        bool: True when the code was accepted (never twice for the same code).
    """
    token = (token or "").strip()
    if not (token.isascii() and token.isdigit()) or not device.verify_token(token):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True
