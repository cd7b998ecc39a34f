"""API fuzzing (issue 7, item 7): schemathesis generates requests from the served OpenAPI
document (/api/v1/openapi.json) and sends them in-process through Django's WSGI handler,
on the demo data, once as an anonymous client and once as a signed-in staff member whose
session passed the second factor. Every response must pass every schemathesis check: no
5xx, the status code, content type, headers and body conform to the document, invalid
input is refused and valid input accepted.

Bounded for CI: a fixed number of examples per operation, derandomised (the same examples
on every run), no deadline. Rate-limit counters are cleared before each example, so a
limit is never reached by the fuzzer's own volume (rate limits have their own tests in
amn/core/tests/test_ratelimits.py).
"""

import json

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from amn.accounts.models import User
from amn.api.urls import api

EXAMPLES_PER_OPERATION = 15

# Operations whose rules go beyond what JSON Schema can say (one field or another, dates
# relative to each other or to today, a reference that must exist): a schema-valid request
# may still be refused with 422 and its per-field reasons, so schemathesis'
# positive_data_acceptance check (which allows 409 but not 422) is replaced for them by
# ACCEPTABLE_REFUSAL below. Every other check still runs on them.
RULES_BEYOND_THE_SCHEMA = {
    "POST /api/v1/certificates/verify": "the QR payload, or the serial and the control key",
    "POST /api/v1/certificates/applications": "a valid CNIE, a name, a phone or an e-mail",
    "GET /api/v1/appointments/slots": "an office or a mobile-unit stop, exactly one",
    "POST /api/v1/permits/visa-applications": "dates in order and ahead, passport valid",
    "POST /api/v1/people/check": "at least one identity attribute",
    "GET /api/v1/cases/": "a known ICCS section, dates in order",
    "GET /api/v1/permits/residence": "a known status, reason and kind",
    "GET /api/v1/permits/visas": "a known status and purpose",
    "GET /api/v1/indicators/values": "a year with recorded cases",
    "GET /api/v1/indicators/public/values": "a year with recorded cases",
}

# The staff member the authenticated run signs in as: an administrator sees every unit and
# may call every staff operation, so the fuzzer reaches the endpoints' bodies (other roles
# are refused by a 403 at the door — the authorisation matrix covers those).
STAFF_USERNAME = "admin"

fuzz_settings = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def openapi_document() -> dict:
    """The OpenAPI document of the API, as /api/v1/openapi.json serialises it."""
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


# schemathesis' lazy loader (`schemathesis.pytest.from_fixture`) does not run under pytest 9
# (it sets a private node attribute that pytest 9 removed): the schema is built when the
# module is imported, and test_served_document_is_the_fuzzed_one ties it to what is served.
class LoopbackWSGIHandler(WSGIHandler):
    """Django's WSGI handler, receiving requests as a server on loopback would pass them
    (werkzeug's in-process client leaves out the client address, REMOTE_ADDR)."""

    def __call__(self, environ, start_response):
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")
        return super().__call__(environ, start_response)


schema = schemathesis.openapi.from_dict(openapi_document())
schema.app = LoopbackWSGIHandler()


@pytest.fixture(autouse=True)
def database_connection_kept():
    """Django closes the database connection at the end of each request it handles; the
    requests are sent in-process, inside the test's transaction, so the connection must stay
    open (as Django's own test client arranges)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_served_document_is_the_fuzzed_one(client):
    assert client.get("/api/v1/openapi.json").json() == openapi_document()


# The staff session the auth provider hands to schemathesis: set by the `staff_session`
# fixture for each test (each runs in its own savepoint, so a session never outlives it).
CURRENT_SESSION: dict[str, str] = {}


@pytest.fixture
def staff_session(world):
    """A staff session verified by its second factor, and a CSRF token, for StaffSession."""
    client = Client()
    client.force_login(User.objects.get(username=STAFF_USERNAME))
    CURRENT_SESSION.update(sessionid=client.cookies["sessionid"].value, csrf=_get_new_csrf_string())
    yield
    CURRENT_SESSION.clear()


class StaffSession:
    """schemathesis auth provider: the staff session cookie (the OpenAPI document's
    StaffSessionAuth scheme), plus the CSRF cookie and header that unsafe methods need.
    Declared through schemathesis so that its auth checks can take the session away."""

    def get(self, case, context):
        return dict(CURRENT_SESSION) or None

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), "sessionid": data["sessionid"]}
        case.cookies["csrftoken"] = data["csrf"]
        case.headers = {**(case.headers or {}), "X-CSRFToken": data["csrf"]}


def call_and_validate(case) -> None:
    """Send `case` and run every check on the answer (see RULES_BEYOND_THE_SCHEMA)."""
    cache.clear()
    if case.operation.label in RULES_BEYOND_THE_SCHEMA:
        case.call_and_validate(excluded_checks=[positive_data_acceptance])
    else:
        case.call_and_validate()


@schema.parametrize()
@fuzz_settings
def test_api_as_anonymous(case, world):
    call_and_validate(case)


@schema.parametrize()
@schema.auth.apply(StaffSession, refresh_interval=None)
@fuzz_settings
def test_api_as_staff(case, staff_session):
    call_and_validate(case)
