"""Fixtures shared by every test suite."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def command_line_language():
    """Code called outside a request speaks English, as `amn` on the command line does
    (amn.manage); requests still choose their language through the middleware."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Tests create accounts by the dozen; PBKDF2 would spend seconds hashing passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real shared data sets (env AMN_SHARED_DATA, default ../shared/data).

    Skips the test when absent, unless AMN_REQUIRE_SHARED_DATA=1 (CI), which fails it.
    """
    folder = Path(settings.AMN_SHARED_DATA)
    if not folder.is_dir():
        message = f"shared data folder {folder} is absent (set AMN_SHARED_DATA)"
        if os.environ.get("AMN_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return folder


@pytest.fixture
def reference_data(db):
    """Unit types and the census geography, loaded the way `amn load-reference` does."""
    from django.core.management import call_command

    call_command("load-reference", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def demo_data(reference_data):
    """The demo units, accounts and persons of `amn load-demo`."""
    from django.core.management import call_command

    call_command("load-demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def force_login_passes_the_second_factor(monkeypatch):
    """`Client.force_login` skips authentication, so it also skips the staff second factor:
    the session is marked verified by a confirmed TOTP device, as after the code step. The
    sign-in flow itself (password, then code) is tested in amn/accounts/tests/test_mfa.py."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if user.is_staff_member:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            device, _ = TOTPDevice.objects.get_or_create(
                user=user, confirmed=True, defaults={"name": "test"}
            )
            from amn.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT

            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session[SIGNED_IN_AT] = session[LAST_SEEN_AT] = int(time.time())
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
