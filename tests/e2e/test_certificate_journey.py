"""The criminal-record certificate end to end in a real browser (issue 4, "Done when"):
a citizen applies in the Arabic interface, the background check runs (the queue is
drained), an agent decides "record found" in the review queue, a supervisor confirms it
(four eyes), the PDF is produced, its QR payload verifies as VALID on the public page, and
the same payload with one character changed shows FORGED."""

import io
import re

import pypdf
import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from amn.accounts.demo import DEMO_PASSWORD
from amn.certificates.models import Certificate, CertificateApplication
from amn.orgunits.models import OrgUnit
from tests.e2e.conftest import staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo registry's DEMO-0016 (amn.people.demo), a person with a conviction on record.
APPLICANT = {
    "cnie": "a 700512",
    "given_name_ar": "هشام",
    "family_name_ar": "الحداد",
    "given_name_lat": "Hicham",
    "family_name_lat": "Haddad",
    "birth_place": "Rabat — الرباط (04.421.01.0)",
    "father_given_name": "عبد العزيز",
    "mother_given_name": "بشرى",
    "phone": "٠٦٦١٢٣٤٥٦٧",  # Arabic-Indic digits, normalised
}


def _drain_queue():
    call_command(
        "db_worker", batch=True, startup_delay=False, interval=0, reload=False, verbosity=0
    )


def _sign_in(page, base, username):
    """A fresh staff session: password, then the authenticator code."""
    page.context.clear_cookies()
    staff_sign_in(page, base, username, DEMO_PASSWORD)


def _tamper(payload: str) -> str:
    head, body = payload.rsplit(".", 1)
    index = len(body) // 2
    return f"{head}.{body[:index]}{'B' if body[index] == 'A' else 'A'}{body[index + 1 :]}"


def test_apply_check_four_eyes_pdf_and_verification(page, live_server, demo_data):
    base = live_server.url
    station = OrgUnit.objects.get(code="ws-agadir-d1")

    # 1. The citizen applies, in Arabic (the default whatever the browser asks for).
    page.goto(base + "/certificates/apply/")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # A first try without consent: the error is shown next to the consent box.
    for name, value in APPLICANT.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_birth_date_0").fill("11")
    page.locator("#id_birth_date_1").select_option("11")
    page.locator("#id_birth_date_2").fill("1991")
    page.locator("#id_purpose").select_option("EMPLOYMENT")
    page.locator("input[name=delivery][value=COLLECT]").check()
    page.locator("#id_collection_unit").select_option(str(station.pk))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_consent_error")).to_be_visible()
    expect(page.locator("#id_cnie")).to_have_value("a 700512")

    page.locator("#id_consent").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/certificates/track/[0-9a-f-]{36}/$"))
    application = CertificateApplication.objects.get(cnie="A700512")
    assert application.phone == "+212661234567"
    expect(page.locator("main")).to_contain_text(application.reference)
    expect(page.locator("#status-note")).to_be_visible()  # in progress

    # 2. The background check runs (nothing ran in the request).
    assert application.check_attempts == 0
    _drain_queue()
    application.refresh_from_db()
    assert application.status == "IN_REVIEW"
    assert application.check_result["candidates"]

    # 3. The agent of the collection station decides "record found".
    _sign_in(page, base, "agent.agadir")
    page.goto(base + "/staff/certificates/")
    page.get_by_role("link", name=application.reference).click()
    expect(page.locator("#comparison")).to_contain_text("الحداد")
    page.locator("input[name=outcome][value=RECORD_FOUND]").check()
    page.locator("#id_person").select_option(index=1)
    page.locator("#id_reason").fill("Same CNIE, names, birth date and parents.")
    page.locator("form[action$='/decide/'] button[type=submit]").click()
    expect(page.locator("#application-status")).to_contain_text(
        re.compile("Awaiting|second|ثان|تأكيد", re.IGNORECASE)
    )
    application.refresh_from_db()
    assert application.status == "AWAITING_CONFIRMATION"

    # 4. A supervisor of the unit (another person) confirms.
    _sign_in(page, base, "supervisor.agadir")
    page.goto(base + f"/staff/certificates/applications/{application.pk}/")
    page.locator("input[name=confirm][value=yes]").check()
    page.locator("#id_reason").fill("Checked against the judgment.")
    page.locator("form[action$='/confirm/'] button[type=submit]").click()
    application.refresh_from_db()
    assert application.status == "ISSUED"
    certificate = Certificate.objects.get(application=application)
    assert certificate.statement == "RECORD"

    # 5. The PDF is produced; the certificate page shows the QR payload it carries.
    page.goto(base + f"/staff/certificates/issued/{certificate.pk}/")
    payload = page.locator("#seal-payload").inner_text().strip()
    assert payload == certificate.seal_payload
    pdf = page.request.get(base + f"/staff/certificates/issued/{certificate.pk}/pdf/?language=ar")
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.body())).pages)
    assert certificate.serial in text

    # 6. An employer verifies the payload on the public page: VALID; tampered: FORGED.
    page.context.clear_cookies()
    page.goto(base + "/certificates/verify/")
    page.locator("#id_payload").fill(payload)
    page.locator("#id_organisation").fill("Banque Populaire")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#verification-status")).to_have_attribute("data-status", "VALID")
    expect(page.locator("#holder-name")).to_have_text("هشام الحداد")

    page.locator("#id_payload").fill(_tamper(payload))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#verification-status")).to_have_attribute("data-status", "FORGED")
    expect(page.locator("#holder-name")).to_have_count(0)

    # 7. The holder sees, on the tracking page, who verified the certificate.
    page.goto(base + "/certificates/track/")
    page.locator("#id_reference").fill(application.reference)
    page.locator("#id_birth_date_0").fill("11")
    page.locator("#id_birth_date_1").select_option("11")
    page.locator("#id_birth_date_2").fill("١٩٩١")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#verifications")).to_contain_text("Banque Populaire")


def test_public_certificate_pages_fit_a_phone_with_their_errors(page, live_server, demo_data):
    page.set_viewport_size({"width": 360, "height": 740})
    for path, submit in (
        ("/certificates/", False),
        ("/certificates/apply/", True),
        ("/certificates/track/", True),
        ("/certificates/verify/", True),
    ):
        page.goto(live_server.url + path)
        if submit:  # an empty form: every error shown
            page.locator("main form button[type=submit]").click()
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px wide"
