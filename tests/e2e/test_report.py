"""The annual report in a real browser: Arabic right to left with its charts, a figure
leading to its definition, the French version, the PDF, and a phone-width page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_report_reads_right_to_left_and_links_figures_to_definitions(
    page, live_server, demo_data
):
    page.goto(live_server.url + "/reports/2025/?lang=ar")
    report = page.locator("article.annual-report")
    expect(report).to_have_attribute("dir", "rtl")
    expect(page.locator("h1").first).to_have_text(re.compile("2025"))
    expect(page.locator("h2").first).to_have_text(re.compile("[\u0600-\u06ff]"))
    charts = page.locator("figure.chart img")
    expect(charts.first).to_be_visible()
    assert charts.first.evaluate("image => image.complete && image.naturalWidth > 0")

    link = page.locator("a.figure-link").first
    target = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.locator(target)).to_be_in_viewport()

    page.goto(live_server.url + "/reports/2025/?lang=fr")
    expect(report).to_have_attribute("dir", "ltr")
    expect(page.locator("h1").first).to_have_text(re.compile("Bilan annuel 2025"))

    pdf = page.request.get(live_server.url + "/reports/2025/report.pdf?lang=ar")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_report_fits_a_phone(page, live_server, demo_data):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/reports/2025/?lang=ar")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the report scrolls sideways by {overflow}px at 360px wide"
