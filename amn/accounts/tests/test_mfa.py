"""Staff second factor (TOTP), session limits and account disabling."""

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from amn.access.tests.factories import DEMO_PASSWORD
from amn.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

STAFF_LOGIN = "/accounts/staff/login/"
OTP = "/accounts/staff/otp/"


def _code(device: TOTPDevice, at: float | None = None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


def _password_step(client, username="agent.fes"):
    response = client.post(STAFF_LOGIN, {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url.startswith(OTP)
    return response


def _enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_password_alone_opens_no_staff_page_nor_api(world, client):
    _password_step(client)

    page = client.get("/staff/")
    api = client.get("/api/v1/people/")

    assert page.status_code == 302 and page.url == OTP
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "second_factor_required"


def test_first_sign_in_enrols_an_authenticator_with_a_qr_code(world, client):
    user = world.users["agent.fes"]
    _password_step(client)

    page = client.get(OTP)
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    assert b"<svg" in page.content and page.context["enrolling"]

    response = client.post(OTP, {"code": _code(device), "next": "/staff/people/"})

    assert response.status_code == 302 and response.url == "/staff/people/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/").status_code == 200


def test_a_wrong_code_is_refused_next_to_the_field(world, client):
    device = _enrolled(world.users["agent.fes"])
    _password_step(client)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(OTP, {"code": wrong})

    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert client.get("/staff/").status_code == 302


def test_a_code_cannot_be_used_twice(world, client):
    from django.test import Client

    device = _enrolled(world.users["agent.fes"])
    code = _code(device)
    _password_step(client)
    assert client.post(OTP, {"code": code}).status_code == 302

    other = Client()
    _password_step(other)
    response = other.post(OTP, {"code": code})

    assert response.status_code == 200
    assert other.get("/staff/").status_code == 302


def test_the_code_step_gives_a_new_session_id(world, client):
    device = _enrolled(world.users["agent.fes"])
    client.get(STAFF_LOGIN)
    anonymous = client.cookies.get("sessionid")
    _password_step(client)
    after_password = client.cookies["sessionid"].value
    client.post(OTP, {"code": _code(device)})

    assert anonymous is None or anonymous.value != after_password
    assert client.cookies["sessionid"].value != after_password


def test_citizens_have_no_second_factor_step(world, client):
    client.post("/accounts/login/", {"username": "citizen@example.ma", "password": DEMO_PASSWORD})
    assert client.get("/my-requests/").status_code == 200


def _age_session(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


@pytest.mark.parametrize(
    ("key", "seconds"), [(LAST_SEEN_AT, 30 * 60 + 5), (SIGNED_IN_AT, 12 * 3600 + 5)]
)
def test_staff_sessions_end_after_30_minutes_idle_or_12_hours(world, client, key, seconds):
    client.force_login(world.users["agent.fes"])
    assert client.get("/staff/").status_code == 200
    _age_session(client, key, seconds)

    response = client.get("/staff/")

    assert response.status_code == 302 and response.url == f"{STAFF_LOGIN}?ended=1"
    assert "_auth_user_id" not in client.session


def test_an_active_staff_session_is_not_ended_early(world, client):
    client.force_login(world.users["agent.fes"])
    _age_session(client, LAST_SEEN_AT, 29 * 60)
    assert client.get("/staff/").status_code == 200


def test_disabling_an_account_ends_its_sessions(world, client):
    user = world.users["agent.fes"]
    client.force_login(user)
    assert client.get("/staff/").status_code == 200

    user.is_active = False
    user.save(update_fields=["is_active"])

    response = client.get("/staff/")
    assert response.status_code == 302 and response.url.startswith(STAFF_LOGIN)


def test_unknown_and_known_usernames_get_the_same_answer(world, client):
    known = client.post(STAFF_LOGIN, {"username": "agent.fes", "password": "wrong-password"})
    unknown = client.post(STAFF_LOGIN, {"username": "nobody.x", "password": "wrong-password"})

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
