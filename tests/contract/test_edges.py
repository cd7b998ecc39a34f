"""Bad input at the edges (issue 7): oversized bodies, wrong content types, invalid UTF-8,
very long names, Arabic-Indic digits and script injection — each answered with a clear 4xx
(or the form again with its errors), never a 5xx; injected markup is stored as text and
escaped on every page that shows it, and in the certificate PDF.

The public forms are not listed by hand: every public page of the authorisation matrix is
opened and each POST form found on it is submitted with every field filled with the bad
value, so a new public form is covered as soon as it has a matrix entry.
"""

import datetime
import io
import json
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from amn.accounts.models import User
from tests.contract.access_matrix import PAGES

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
INJECTION = f"Demo {SCRIPT}{IMAGE}"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
LONG_LATIN = "A" * 10_000
LONG_ARABIC = "ب" * 10_000
ARABIC_INDIC_DIGITS = "٠٦١٢٣٤٥٦٧٨"  # 0612345678 in Arabic-Indic digits
INVALID_UTF8 = b"\xff\xfe\xc3\x28"

# Forms that are not public input forms: the language switcher and sign-out of base.html.
NOT_INPUT_FORMS = ("/i18n/setlang/", "/accounts/logout/")
# The public POST forms the discovery must find at least (the discovery may find more).
KNOWN_FORMS = {
    "/accounts/staff/login/",
    "/accounts/login/",
    "/accounts/register/",
    "/certificates/apply/",
    "/certificates/track/",
    "/certificates/verify/",
    "/cnie/apply/",
    "/cnie/track/",
    "/permits/visa/",
    "/permits/residence/",
    "/permits/track/",
}


class _Forms(HTMLParser):
    """The POST forms of a page: [(action, [(name, tag, type, first option value)])]."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = (attrs.get("action") or "", [])
            self.forms.append(self._form)
        elif (
            self._form is not None and tag in ("input", "textarea", "select") and attrs.get("name")
        ):
            field = [attrs["name"], tag, (attrs.get("type") or "text").lower(), attrs.get("value")]
            self._form[1].append(field)
            self._select = field if tag == "select" else None
        elif (
            tag == "option"
            and self._select is not None
            and self._select[3] is None
            and attrs.get("value")
        ):
            self._select[3] = attrs["value"]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def public_forms(client) -> dict[str, list]:
    """{action path: fields} of every POST form on the public pages of the matrix."""
    found = {}
    for key, entry in sorted(PAGES.items()):
        if entry.rule.kind != "public" or entry.target or "GET" not in entry.methods:
            continue
        if key.startswith("api:"):
            continue
        path = reverse(key)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode())
        for action, fields in parser.forms:
            action = action or path
            if not action.startswith(NOT_INPUT_FORMS):
                found.setdefault(action, fields)
    return found


def filled(fields, value: str) -> dict:
    """Form data: `value` in every text field, the first choice of every list and radio
    group, every box ticked; hidden fields keep their value."""
    data = {}
    for name, tag, kind, preset in fields:
        if kind == "hidden":
            data[name] = preset or ""
        elif tag == "select" or kind == "radio":
            data.setdefault(name, preset or "")
        elif kind == "checkbox":
            data[name] = preset or "on"
        elif kind not in ("submit", "button", "file"):
            data[name] = value
    return data


def answers(response) -> list:
    """The response and the redirects followed before it."""
    return [*getattr(response, "redirect_chain", []), response]


def assert_escaped(html: str, where: str) -> None:
    """No injected tag is live in `html` (it appears escaped, if at all)."""
    assert SCRIPT not in html, f"{where}: raw <script> in the page"
    assert "<img src=x" not in html, f"{where}: raw <img onerror> in the page"


@pytest.fixture
def anonymous():
    return Client()


def test_the_discovery_finds_the_public_forms(world, anonymous):
    assert set(public_forms(anonymous)) >= KNOWN_FORMS


@pytest.mark.parametrize(
    "value",
    [LONG_LATIN, LONG_ARABIC, INJECTION, ARABIC_INDIC_DIGITS],
    ids=["10000-latin-chars", "10000-arabic-chars", "script-injection", "arabic-indic-digits"],
)
def test_public_forms_refuse_bad_values_clearly(world, anonymous, value):
    """Every public form, every text field filled with `value`: the form again with its
    errors, or a redirect (accepted) — never a 5xx; injected markup never live."""
    from django.core.cache import cache

    problems = []
    for action, fields in public_forms(anonymous).items():
        cache.clear()  # rate limits are tested elsewhere
        response = Client().post(action, filled(fields, value), follow=True)
        status = response.status_code
        if status >= 500:
            problems.append(f"{action}: {status}")
            continue
        if status not in (200, 400, 403, 404, 413, 429):
            problems.append(f"{action}: unexpected {status}")
        html = response.content.decode("utf-8", "replace")
        if SCRIPT in html or "<img src=x" in html:
            problems.append(f"{action}: injected markup live in the answer")
    assert not problems, "\n".join(problems)


def test_public_forms_survive_invalid_utf8(world, anonymous):
    """Invalid UTF-8 in a form body, raw and percent-encoded: never a 5xx."""
    problems = []
    for action, fields in public_forms(anonymous).items():
        names = [name for name, _tag, kind, _preset in fields if kind not in ("hidden",)]
        raw = b"&".join(name.encode() + b"=" + INVALID_UTF8 for name in names)
        encoded = "&".join(f"{name}=%FF%FE%C3%28" for name in names)
        for body in (raw, encoded):
            response = Client().generic(
                "POST", action, body, content_type="application/x-www-form-urlencoded"
            )
            if response.status_code >= 500:
                problems.append(f"{action}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_invalid_utf8_in_query_strings_and_paths(world):
    """Every GET page of the matrix with an invalid UTF-8 query string, anonymously and as
    an administrator; and invalid UTF-8 in a path: never a 5xx."""
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    problems = []
    query = "?q=%FF%FE&city=%C3%28&page=%FF&year=%D9%A2%D9%A0&status=%00"
    for key, entry in sorted(PAGES.items()):
        if entry.target or "GET" not in entry.methods or key == "admin:index":
            continue
        path = reverse(key)
        for client in (Client(), admin):
            response = client.get(path + query)
            if response.status_code >= 500:
                problems.append(f"{path}{query}: {response.status_code}")
    for path in ("/certificates/track/%FF%FE/", "/staff/cases/%C3%28/", "/api/v1/cases/%FF"):
        response = admin.get(path)
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------- bodies at the limits


def test_oversized_form_body_is_a_400(world, anonymous):
    body = "given_name_lat=" + "A" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = anonymous.generic(
        "POST", "/certificates/apply/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def test_too_many_form_fields_is_a_400(world, anonymous):
    body = "&".join(f"f{i}=x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = anonymous.generic(
        "POST", "/cnie/apply/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


def _api_error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] and error["message"]
    return error


def test_oversized_api_body_is_a_413_in_the_envelope(world, anonymous):
    body = json.dumps({"reference": "A" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})
    response = anonymous.post("/api/v1/cnie/track", body, content_type="application/json")
    assert _api_error(response, 413)["code"] == "too_large"


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
def test_api_body_of_another_content_type_is_a_415(world, anonymous, content_type):
    body = json.dumps({"reference": "CN-2026-000001", "birth_date": "1990-01-01"})
    response = anonymous.generic("POST", "/api/v1/cnie/track", body, content_type=content_type)
    _api_error(response, 415)


@pytest.mark.parametrize(
    "body",
    [b'{"reference": ', b'{"reference": "\xff\xfe", "birth_date": "1990-01-01"}', b"\xff"],
    ids=["truncated-json", "invalid-utf8-in-json", "invalid-utf8"],
)
def test_malformed_api_body_is_a_400_in_the_envelope(world, anonymous, body):
    response = anonymous.generic(
        "POST", "/api/v1/cnie/track", body, content_type="application/json"
    )
    _api_error(response, 400)


def test_api_fields_in_arabic_indic_digits_are_answered_not_crashed(world, anonymous):
    body = {"reference": "CN-٢٠٢٦-٠٠٠٠٠١", "birth_date": "١٩٩٠-٠١-٠١"}
    response = anonymous.post("/api/v1/cnie/track", body, content_type="application/json")
    assert response.status_code in (404, 422), response.content[:300]
    assert response.json()["error"]["code"]


def test_very_long_api_strings_are_refused_clearly(world, anonymous):
    body = {"reference": LONG_LATIN, "birth_date": "1990-01-01"}
    response = anonymous.post("/api/v1/cnie/track", body, content_type="application/json")
    assert response.status_code in (404, 422), response.content[:300]


# ----------------------------------------------------------------- stored, then escaped


def test_injected_case_narrative_is_escaped_on_the_case_page(world):
    from amn.cases.models import Case

    case = Case.objects.get(recording_unit__code="ws-fes-d1", narrative__contains="cannabis")
    Case.objects.filter(pk=case.pk).update(narrative=INJECTION)  # as if imported so
    officer = Client()
    officer.force_login(User.objects.get(username="officer.fes"))
    for path in (f"/staff/cases/{case.pk}/", f"/staff/cases/{case.pk}/edit/"):
        response = officer.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert_escaped(html, path)
        assert ESCAPED_SCRIPT in html, f"{path}: the narrative is not shown"


def test_injected_cnie_address_is_escaped_on_the_staff_page(world, anonymous):
    from amn.idcards.models import CnieApplication
    from amn.orgunits.models import OrgUnit

    unit = OrgUnit.objects.get(code="ws-fes-d1")
    response = anonymous.post(
        "/api/v1/cnie/applications",
        {
            "kind": "first",
            "family_name_ar": "العلوي",
            "given_name_ar": "سعيد",
            "family_name_latin": "Alaoui",
            "given_name_latin": "Said",
            "sex": "M",
            "birth_date": "1990-05-12",
            "address": INJECTION,
            "unit_id": unit.pk,
            "email": "edge@example.ma",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:300]
    application = CnieApplication.objects.get(pk=response.json()["id"])
    agent = Client()
    agent.force_login(User.objects.get(username="agent.fes"))
    page = agent.get(f"/staff/cnie/{application.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert_escaped(html, "CNIE staff page")
    assert ESCAPED_SCRIPT in html, "the address is not shown on the staff page"


def test_injected_verifier_organisation_is_escaped_for_the_holder(world, anonymous):
    """The organisation a verifier types is shown to the holder on the tracking page and to
    staff on the certificate page."""
    from amn.certificates.models import Certificate
    from amn.certificates.views import SESSION_KEY

    certificate = Certificate.objects.select_related("application").get(holder_cnie="AB998877")
    response = anonymous.post(
        "/certificates/verify/",
        {"serial": certificate.serial, "control_key": certificate.control_key,
         "organisation": INJECTION},
    )  # fmt: skip
    assert response.status_code == 200
    assert_escaped(response.content.decode(), "verification answer")

    holder = Client()
    session = holder.session
    session[SESSION_KEY] = [str(certificate.application_id)]
    session.save()
    page = holder.get(f"/certificates/track/{certificate.application_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert_escaped(html, "holder's tracking page")
    assert ESCAPED_SCRIPT in html, "the verifier's organisation is not shown to the holder"


def test_injected_names_are_text_in_the_certificate_pdf_and_pages(world):
    """Names with markup, stored by the service as written, come out as literal text in the
    certificate's HTML pages and in the PDF's text layer (read with pypdf)."""
    from django.contrib.auth.models import AnonymousUser
    from pypdf import PdfReader

    from amn.certificates import services
    from amn.certificates.choices import Delivery, Purpose
    from amn.certificates.document import certificate_pdf
    from amn.certificates.models import Certificate
    from amn.certificates.views import SESSION_KEY
    from amn.geo.models import Commune
    from amn.people.identity import PartialDate

    submission = services.application_submit(
        actor=AnonymousUser(),
        data=services.ApplicationInput(
            cnie="ZZ123456",
            given_name_ar="سلمى",
            family_name_ar="برادة",
            given_name_lat="Salma",
            family_name_lat=f"Edge{SCRIPT}",
            sex="F",
            birth=PartialDate(1996, 3, 4),
            birth_place=Commune.objects.get(code="04.421.01.0"),
            phone="",
            email="edge.pdf@example.ma",
            purpose=Purpose.EMPLOYMENT,
            delivery=Delivery.ELECTRONIC,
            consent=True,
            language="fr",
        ),
    )
    application = submission.application
    services.application_check_run(application_id=application.pk)
    certificate = Certificate.objects.filter(application=application).first()
    assert certificate is not None, "a person with no record gets the certificate at once"

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(
        certificate_pdf(certificate, language="fr"))).pages)  # fmt: skip
    assert "Edge<script>alert(1)</script>" in text.replace("\n", "")

    holder = Client()
    session = holder.session
    session[SESSION_KEY] = [str(application.pk)]
    session.save()
    for path in (
        f"/certificates/track/{application.pk}/",
        f"/certificates/track/{application.pk}/certificate.pdf",
    ):
        response = holder.get(path)
        assert response.status_code == 200, path
        if path.endswith("/"):
            assert_escaped(response.content.decode(), path)


def test_birth_dates_typed_in_arabic_indic_digits(world, anonymous):
    """A date typed in Arabic-Indic digits on the tracking form: a clear answer (found or
    not found), never a 5xx."""
    response = anonymous.post(
        "/cnie/track/", {"reference": "CN-٢٠٢٦-٠٠٠٠٠١", "birth_date": "١٩٩٠-٠٥-١٢"}
    )
    assert response.status_code in (200, 302, 400, 404), response.status_code


def test_injected_visa_purpose_is_escaped_on_the_staff_page(world, anonymous):
    from django.utils import timezone

    from amn.permits.models import VisaApplication

    today = timezone.localdate()
    response = anonymous.post(
        "/api/v1/permits/visa-applications",
        {
            "family_name": "Edge",
            "given_names": "Case",
            "nationality": "FR",
            "birth_date": "1990-01-01",
            "passport_number": "EDGE0001",
            "passport_expires_on": today.replace(year=today.year + 4, day=1).isoformat(),
            "email": "edge.visa@example.com",
            "purpose": "other",
            "purpose_detail": INJECTION,
            "intended_entry_on": (today + datetime.timedelta(days=20)).isoformat(),
            "intended_exit_on": (today + datetime.timedelta(days=30)).isoformat(),
            "entries_requested": "single",
            "handling_unit": "ws-marrakech",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content[:300]
    application = VisaApplication.objects.get(passport_number="EDGE0001")
    admin = Client()
    admin.force_login(User.objects.get(username="admin"))
    page = admin.get(f"/staff/permits/visas/{application.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert_escaped(html, "visa staff page")
    assert ESCAPED_SCRIPT in html, "the purpose detail is not shown on the staff page"
