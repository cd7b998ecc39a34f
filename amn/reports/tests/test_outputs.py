"""The report's documents from hand-made figures: the HTML's direction and links, the PDF's
Arabic text layer (pypdf), and the charts of each section's lead figure. No database."""

import io
import re

import pypdf

from amn.reports.builder import report_build
from amn.reports.charts import PNG, SVG, report_charts
from amn.reports.rendering import report_html, report_pdf
from amn.reports.tests.factories import national_unit, year_figures_make


def arabic_report(**options):
    return report_build(year_figures_make(national_unit()), language="ar", **options)


def test_arabic_html_is_rtl_and_every_figure_links_to_its_definition():
    html = report_html(arabic_report())
    assert '<html lang="ar" dir="rtl">' in html
    assert '<article class="annual-report" lang="ar" dir="rtl">' in html
    links = set(re.findall(r'href="#(def-[a-z_]+)"', html))
    assert {"def-cnie_produced", "def-violent_crime_cases", "def-clearance_rate"} <= links
    assert all(f'<dt id="{anchor}">' in html for anchor in links)
    # A signed change is isolated left to right inside the Arabic text.
    assert '<bdi dir="ltr">−10\u00a0%</bdi>' in html
    assert "margin-left" not in html and "margin-right" not in html  # logical properties
    assert "/records/" not in html  # no record links unless asked for a reader in scope


def test_french_html_is_ltr_with_the_region_table():
    html = report_html(report_build(year_figures_make(national_unit()), language="fr"))
    assert '<html lang="fr" dir="ltr">' in html
    assert 'data-breakdown="cases_recorded"' in html
    assert '<tr data-key="06"><th scope="row">الدار البيضاء-سطات</th>' in html
    assert "200.000" in html


def test_each_section_charts_its_lead_figure_once_per_format():
    report = arabic_report()
    svg = report_charts(report, kind=SVG)
    assert list(svg) == ["cases_recorded"]  # the only figure with cells (crime)
    assert [chart.uri[:26] for chart in svg["cases_recorded"]] == [
        "data:image/svg+xml;base64,",
        "data:image/svg+xml;base64,",
    ]
    png = report_charts(report, kind=PNG)
    assert png["cases_recorded"][0].uri.startswith("data:image/png;base64,")
    assert report_charts(report, kind=PNG) is png  # drawn once


def test_arabic_pdf_text_layer_holds_arabic_in_logical_order():
    pdf = report_pdf(arabic_report())
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in [
        "المديرية العامة للأمن الوطني",  # words in reading order, not reversed
        "قضايا الجريمة العنيفة",
        "الدار البيضاء-سطات",
        "3.685.964",
        "779.000",
    ]:
        assert expected in text, expected
    assert "الوطني للأمن العامة المديرية" not in text
