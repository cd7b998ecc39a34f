"""Staff and citizen sign-in, and the django-axes lockout."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings

from amn.access.tests.factories import DEMO_PASSWORD
from amn.accounts.models import User

pytestmark = pytest.mark.django_db

STAFF_LOGIN = "/accounts/staff/login/"
CITIZEN_LOGIN = "/accounts/login/"
LIMIT = settings.AXES_FAILURE_LIMIT


def _signed_in_user(client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def _form_error_codes(response) -> set[str]:
    return {error.code for error in response.context["form"].errors.as_data()["__all__"]}


def _fail(client, url, username, times, **extra):
    for _ in range(times):
        client.post(url, {"username": username, "password": "wrong-password"}, **extra)


def _is_locked_out(response) -> bool:
    templates = {t.name for t in response.templates}
    return response.status_code == 429 and "accounts/locked_out.html" in templates


# --- staff ----------------------------------------------------------------------------------


def test_staff_login_page_renders(world, client):
    response = client.get(STAFF_LOGIN)

    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


def test_staff_login_goes_to_the_dashboard(world, client):
    response = client.post(STAFF_LOGIN, {"username": "agent.fes", "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response.url == "/accounts/staff/otp/?next=%2Fstaff%2F"  # the second factor next
    assert _signed_in_user(client) == world.users["agent.fes"]


def test_staff_login_follows_a_local_next(world, client):
    response = client.post(
        f"{STAFF_LOGIN}?next=/staff/people/",
        {"username": "agent.fes", "password": DEMO_PASSWORD, "next": "/staff/people/"},
    )

    assert response.url == "/accounts/staff/otp/?next=%2Fstaff%2Fpeople%2F"


def test_staff_login_ignores_an_external_next(world, client):
    response = client.post(
        STAFF_LOGIN,
        {"username": "agent.fes", "password": DEMO_PASSWORD, "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response.url == "/accounts/staff/otp/?next=%2Fstaff%2F"


def test_staff_login_refuses_a_wrong_password(world, client):
    response = client.post(STAFF_LOGIN, {"username": "agent.fes", "password": "wrong"})

    assert response.status_code == 200
    assert _form_error_codes(response) == {"invalid_login"}
    assert _signed_in_user(client) is None


@pytest.mark.parametrize("username", ["citizen@example.ma", "0612345678"])
def test_citizen_cannot_sign_in_on_the_staff_form(world, client, username):
    response = client.post(STAFF_LOGIN, {"username": username, "password": DEMO_PASSWORD})

    assert response.status_code == 200
    assert _form_error_codes(response) == {"invalid_login"}
    assert _signed_in_user(client) is None


def test_inactive_staff_cannot_sign_in(world, client):
    User.objects.filter(username="agent.fes").update(is_active=False)

    response = client.post(STAFF_LOGIN, {"username": "agent.fes", "password": DEMO_PASSWORD})

    assert response.status_code == 200
    assert _signed_in_user(client) is None


# --- lockout (django-axes) ------------------------------------------------------------------


def test_lockout_after_the_failure_limit_refuses_the_right_password(world, client):
    assert LIMIT == 5
    _fail(client, STAFF_LOGIN, "agent.fes", LIMIT)

    response = client.post(STAFF_LOGIN, {"username": "agent.fes", "password": DEMO_PASSWORD})

    assert _is_locked_out(response)
    assert _signed_in_user(client) is None
    attempt = AccessAttempt.objects.get(username="agent.fes")
    assert attempt.ip_address == "127.0.0.1"
    assert attempt.failures_since_start >= LIMIT


def test_one_failure_less_than_the_limit_does_not_lock(world, client):
    _fail(client, STAFF_LOGIN, "agent.fes", LIMIT - 1)

    response = client.post(STAFF_LOGIN, {"username": "agent.fes", "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert _signed_in_user(client) == world.users["agent.fes"]


def test_success_resets_the_failure_count(world, client):
    _fail(client, STAFF_LOGIN, "agent.fes", LIMIT - 1)
    client.post(STAFF_LOGIN, {"username": "agent.fes", "password": DEMO_PASSWORD})
    client.logout()
    _fail(client, STAFF_LOGIN, "agent.fes", LIMIT - 1)

    response = client.post(STAFF_LOGIN, {"username": "agent.fes", "password": DEMO_PASSWORD})

    assert response.status_code == 302


def test_lockout_is_per_username_and_ip(world, client):
    _fail(client, STAFF_LOGIN, "agent.fes", LIMIT)

    other_user = client.post(STAFF_LOGIN, {"username": "officer.fes", "password": DEMO_PASSWORD})
    assert other_user.status_code == 302
    client.logout()
    other_ip = client.post(
        STAFF_LOGIN,
        {"username": "agent.fes", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.9.8.7",
    )
    assert other_ip.status_code == 302
    client.logout()
    same_pair = client.post(STAFF_LOGIN, {"username": "agent.fes", "password": DEMO_PASSWORD})
    assert _is_locked_out(same_pair)


def test_a_forwarded_header_does_not_escape_the_lockout(world, client):
    _fail(client, STAFF_LOGIN, "agent.fes", LIMIT)

    response = client.post(
        STAFF_LOGIN,
        {"username": "agent.fes", "password": DEMO_PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )

    assert _is_locked_out(response)


def test_citizen_lockout_cannot_be_bypassed_by_respelling_the_phone(world, client):
    """BUG: axes keys the lockout on the raw `username` field, but the backend accepts many
    spellings of one phone (0…, +212…, 00212…, spaces, Arabic-Indic digits) and any case of
    an e-mail, so an attacker gets 5 new guesses per spelling."""
    _fail(client, CITIZEN_LOGIN, "0612345678", LIMIT)

    response = client.post(CITIZEN_LOGIN, {"username": "+212612345678", "password": DEMO_PASSWORD})

    assert _signed_in_user(client) is None
    assert _is_locked_out(response)


def test_citizen_lockout_cannot_be_bypassed_by_changing_the_email_case(world, client):
    """BUG: same cause as the phone spellings above."""
    _fail(client, CITIZEN_LOGIN, "citizen@example.ma", LIMIT)

    response = client.post(
        CITIZEN_LOGIN, {"username": "Citizen@Example.ma", "password": DEMO_PASSWORD}
    )

    assert _signed_in_user(client) is None
    assert _is_locked_out(response)


# --- citizens -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username",
    [
        "citizen@example.ma",
        "CITIZEN@Example.MA",
        "0612345678",
        "+212612345678",
        "00212612345678",
        "06 12 34 56 78",
        "٠٦١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "۰۶۱۲۳۴۵۶۷۸",  # Persian digits
    ],
)
def test_citizen_signs_in_with_email_or_phone(world, client, username):
    response = client.post(CITIZEN_LOGIN, {"username": username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response.url == "/my-requests/"
    assert _signed_in_user(client) == world.users["citizen@example.ma"]


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("citizen@example.ma", "wrong-password"),
        ("0612345679", DEMO_PASSWORD),  # another number
        ("612345678", DEMO_PASSWORD),  # no trunk prefix
        ("nobody@example.ma", DEMO_PASSWORD),
    ],
)
def test_citizen_sign_in_refuses_wrong_credentials(world, client, username, password):
    response = client.post(CITIZEN_LOGIN, {"username": username, "password": password})

    assert response.status_code == 200
    assert _signed_in_user(client) is None
