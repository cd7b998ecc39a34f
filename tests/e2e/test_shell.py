"""The Arabic-first shell in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from amn.accounts.demo import DEMO_PASSWORD
from tests.e2e.conftest import totp_code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_in_arabic_then_french_then_agent_signs_in(page, live_server, demo_data):
    page.goto(live_server.url + "/")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    expect(page.locator("h1")).to_have_text(re.compile("[\u0600-\u06ff]"))

    page.get_by_role("button", name="Français").click()
    expect(html).to_have_attribute("lang", "fr")
    expect(html).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("Direction générale de la sûreté nationale")

    page.goto(live_server.url + "/accounts/staff/login/")
    expect(html).to_have_attribute("lang", "fr")
    page.get_by_label("utilisateur").fill("agent.agadir")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/staff/otp/"))
    page.get_by_label("Code").fill(totp_code_for("agent.agadir"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.locator("main")).to_contain_text("1er arrondissement de police d'Agadir")


def test_keyboard_reaches_skip_link_and_language_switcher(page, live_server, demo_data):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_phone_width_has_no_horizontal_scroll(page, live_server, demo_data):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/stations/", "/accounts/staff/login/"):
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 360px wide"
