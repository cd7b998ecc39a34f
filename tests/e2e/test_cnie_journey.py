"""The CNIE end to end in a real browser (issue 5, "Done when"): a citizen fills in the
pre-application in the Arabic interface and books an appointment, an agent of the office
moves the application through enrolment, production and collection to delivery, and the
public tracking page (reference and date of birth, no account) shows each step."""

import re

import pytest
from playwright.sync_api import expect

from amn.accounts.demo import DEMO_PASSWORD
from amn.appointments.models import Booking
from amn.idcards.models import Card, CnieApplication
from amn.orgunits.models import OrgUnit
from tests.e2e.conftest import staff_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT = {
    "family_name_ar": "الناصري",
    "given_name_ar": "ياسين",
    "family_name_latin": "Naciri",
    "given_name_latin": "Yassine",
    "birth_date": "1996-08-21",
    "address": "7 derb Lalla Aouda, Fès",
    "email": "yassine.naciri@example.ma",
    "phone": "٠٦٦١٢٣٤٥٦٧",  # Arabic-Indic digits, normalised by the service
}
STEPS = ("submitted", "booked", "enrolled", "in_production", "ready", "delivered")


def test_citizen_books_agent_delivers_tracking_shows_each_step(page, live_server, demo_data):
    base = live_server.url
    office = OrgUnit.objects.get(code="ws-fes-d1")

    # 1. The citizen's pre-application, in Arabic (the default).
    page.goto(base + "/cnie/apply/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("#id_kind").select_option("first")
    for name, value in APPLICANT.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("input[name=sex][value=M]").check()
    page.locator("#id_place").select_option(f"unit:{office.pk}")
    page.locator("main form button[type=submit]").click()

    # 2. The appointment: the first free time of the office.
    expect(page).to_have_url(re.compile(r"/cnie/applications/[0-9a-f-]{36}/appointment/$"))
    application = CnieApplication.objects.get(family_name_latin="Naciri")
    assert application.phone == "+212661234567"
    first_slot = page.locator("button[data-slot]").first
    slot_id = first_slot.get_attribute("data-slot")
    first_slot.click()
    expect(page).to_have_url(re.compile(rf"/cnie/applications/{application.pk}/$"))
    expect(page.locator("#current-appointment")).to_be_visible()
    booking = Booking.objects.get(subject_id=application.pk)
    assert str(booking.slot_id) == slot_id
    expect(page.locator('li[data-step="booked"]')).to_have_class("reached")
    expect(page.locator('li[data-step="enrolled"]')).to_have_class("pending")
    reference = application.reference
    expect(page.locator("main h1")).to_contain_text(reference)

    # 3. The agent of the office, signed in with password and authenticator code.
    page.context.clear_cookies()
    staff_sign_in(page, base, "agent.fes", DEMO_PASSWORD)
    page.goto(base + "/staff/cnie/?reference=" + reference)
    page.get_by_role("link", name=reference).click()
    expect(page).to_have_url(re.compile(rf"/staff/cnie/{application.pk}/$"))
    page.locator("#id_photo_captured").check()
    page.locator("#id_fingerprints_captured").check()
    page.locator("#enrol-form button[type=submit]").click()
    expect(page.locator("#application-status")).to_have_text(re.compile(r"\S"))
    for step in ("in_production", "ready", "delivered"):
        page.locator("main section form button[type=submit]").first.click()
        expect(page.locator(f'#timeline tr[data-step="{step}"]')).to_be_visible()
    application.refresh_from_db()
    assert application.status == "delivered"
    card = Card.objects.get(application=application)
    assert card.status == "active" and card.number == application.cnie_number

    # 4. Back as the citizen, on another browser session: reference and birth date.
    page.context.clear_cookies()
    page.goto(base + "/cnie/track/")
    page.locator("#id_reference").fill(reference.lower())
    page.locator("#id_birth_date").fill(APPLICANT["birth_date"])
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/cnie/applications/{application.pk}/$"))
    for step in STEPS:
        item = page.locator(f'li[data-step="{step}"]')
        expect(item).to_have_class("reached")
        expect(item.locator(".when")).to_contain_text(re.compile(r"\d"))
    expect(page.locator('li[data-step="enrolled"]')).to_contain_text(office.name_ar)
