"""Text generation of the annual report (amn.reports.builder) from hand-made figures: the
release's phrasing per language, locale formats, numerals, signed changes, the wording for
figures without records, notes, and the JSON keys. No database."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from amn.orgunits.choices import DatePrecision, UnitEventKind
from amn.orgunits.models import UnitEvent
from amn.reports.builder import ReportInputError, report_build
from amn.reports.numbers import change_text, number_text
from amn.reports.rendering import report_json
from amn.reports.tests.factories import INTERPOL, national_unit, year_figures_make


def build(language="en", numerals="latn", **extra):
    return report_build(
        year_figures_make(national_unit(), **extra), language=language, numerals=numerals
    )


def section_text(report, key: str) -> str:
    (section,) = [s for s in report.sections if s.key == key]
    return " ".join(paragraph.text for paragraph in section.paragraphs)


def test_sections_come_in_the_order_of_the_release():
    assert [section.key for section in build().sections] == [
        "infrastructure",
        "major_events",
        "digital_services",
        "crime",
        "cooperation",
        "human_resources",
        "welfare",
        "communication",
        "plans",
    ]


def test_english_text_inserts_figures_with_english_grouping_and_signed_change():
    report = build("en")
    digital = section_text(report, "digital_services")
    assert "3,685,964 electronic national identity cards (CNIE) were produced" in digital
    assert "(+5.3% compared with 2024)." in digital
    crime = section_text(report, "crime")
    assert "Violent crime accounted for 45,000 cases (−10% compared with 2024)." in crime
    assert "The clearance rate reached 95.0% (+0.5% compared with 2024)." in crime
    assert "170,412.5 kg of cannabis resin were seized." in crime


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_french_and_arabic_use_the_moroccan_grouping(language):
    report = build(language)
    digital = section_text(report, "digital_services")
    crime = section_text(report, "crime")
    assert "3.685.964" in digital
    assert "−10\u00a0%" in crime  # the release's "تراجع الجريمة العنيفة بنسبة 10%"
    assert "95,0\u00a0%" in crime
    assert "170.412,5" in crime


def test_arabic_indic_numerals_on_request():
    report = build("ar", numerals="arab")
    assert "٣٬٦٨٥٬٩٦٤" in section_text(report, "digital_services")
    assert "−١٠\u00a0٪" in section_text(report, "crime")
    assert "3685964" not in section_text(report, "digital_services")


def test_number_helpers():
    assert number_text(3685964, decimals=0, language="fr", numerals="latn") == "3.685.964"
    assert number_text(3685964, decimals=0, language="en", numerals="latn") == "3,685,964"
    assert number_text(95.46, decimals=1, language="ar", numerals="arab") == "٩٥٫٥"
    assert change_text(-9.7, language="fr", numerals="latn") == "−9,7\u00a0%"
    assert change_text(20.0, language="en", numerals="latn") == "+20%"
    assert change_text(0.0, language="en", numerals="latn") == "0%"
    assert change_text(None, language="en", numerals="latn") == "—"


def test_a_figure_without_records_says_so_never_zero():
    report = build("en")
    crime = section_text(report, "crime")
    assert "قضايا غسيل الأموال: no records for 2025." in crime
    (line,) = [f for f in report.figures if f.code == "money_laundering_cases"]
    assert line.value == "—"
    assert report_json(report)["figures"][7]["value"] is None


def test_a_year_without_any_record_says_so():
    report = build("en", empty=True)
    assert not report.has_data
    assert "No figures are recorded for 2025" in report.introduction.text
    crime = section_text(report, "crime")
    assert "no records for 2025" in crime
    assert " 0 " not in crime


def test_an_indicator_without_its_own_clause_gets_the_generic_one():
    assert "مؤشر جديد: 2,400,000 cases." in section_text(build("en"), "communication")


def test_sections_without_figures_have_their_templated_paragraph():
    report = build("en")
    assert "have no figures recorded for 2025" in section_text(report, "welfare")
    assert "No change of police units is scheduled yet for 2026" in section_text(report, "plans")
    assert "No change of police units is recorded for 2025" in section_text(
        report, "infrastructure"
    )


def test_figures_are_runs_linked_to_their_definition():
    report = build("en")
    (section,) = [s for s in report.sections if s.key == "crime"]
    runs = [run for paragraph in section.paragraphs for run in paragraph.segments if run.code]
    assert ("violent_crime_cases", "45,000", False) in [(r.code, r.text, r.isolate) for r in runs]
    assert ("violent_crime_cases", "−10%", True) in [(r.code, r.text, r.isolate) for r in runs]


def test_notes_say_entered_restated_and_as_published():
    published = timezone.make_aware(datetime.datetime(2025, 12, 17, 10))
    report = build("en", published_at=published)
    notes = {line.code: line.notes for line in report.figures}
    assert notes["interpol_assembly_countries"] == (
        "entered by Analyst HQ on December 18, 2025 from DGSN, بلاغ 17 دجنبر 2025",
    )
    assert notes["drug_cases"] == ("restated; as published on December 17, 2025: 105,800",)
    assert report.restated_count == 1


def test_an_entry_without_a_named_person_says_when_and_from_what():
    figures = year_figures_make(national_unit())
    anonymous = dataclasses.replace(
        figures.figures[0], provenance=dataclasses.replace(INTERPOL, entered_by="")
    )
    figures = dataclasses.replace(figures, figures=(anonymous, *figures.figures[1:]))
    (line, *_rest) = report_build(figures, language="en").figures
    assert line.notes == ("entered on December 18, 2025 from DGSN, بلاغ 17 دجنبر 2025",)


def test_region_breakdown_rows_and_public_suppression():
    figures = year_figures_make(national_unit())
    staff = report_build(figures, language="fr")
    public = report_build(figures, language="fr", suppression_threshold=5, public=True)
    (staff_line,) = [f for f in staff.figures if f.code == "cases_recorded"]
    (public_line,) = [f for f in public.figures if f.code == "cases_recorded"]
    assert [(r.key, r.value, r.change) for r in staff_line.regions] == [
        ("06", "200.000", "−4,8\u00a0%"),
        ("03", "3", "+50\u00a0%"),
    ]
    assert [(r.key, r.value, r.hidden) for r in public_line.regions] == [
        ("06", "200.000", False),
        ("03", "<5", True),
    ]
    assert [c.key for c in public_line.chart_regions] == ["06"]
    assert public_line.chart_months == ()
    assert len(staff_line.chart_months) == 12


def test_scale_and_checksum_are_carried():
    report = build("fr", scale=0.05)
    assert report.scale_text == "0,05"
    assert len(report.snapshot_checksum) == 64


def test_json_has_the_contract_keys():
    data = report_json(build("fr", scale=0.05))
    assert set(data) == {
        "year",
        "org_unit",
        "org_unit_name",
        "language",
        "snapshot_checksum",
        "published_at",
        "scale",
        "figures",
    }
    assert (data["year"], data["org_unit"], data["language"], data["scale"]) == (
        2025,
        "dg",
        "fr",
        0.05,
    )
    first = data["figures"][0]
    assert set(first) == {
        "indicator",
        "name",
        "section",
        "value",
        "unit_of_measure",
        "previous_value",
        "change",
        "definition",
        "counting_rule",
        "provenance",
        "previous_provenance",
        "as_published",
        "restated",
    }
    assert first["provenance"] == {
        "kind": "entered",
        "source": "DGSN, بلاغ 17 دجنبر 2025",
        "entered_by": "Analyst HQ",
        "entered_on": "2025-12-18",
    }
    violent = next(f for f in data["figures"] if f["indicator"] == "violent_crime_cases")
    assert (violent["value"], violent["previous_value"], violent["change"]) == (
        45000,
        50000,
        -10.0,
    )


@pytest.mark.parametrize(
    ("language", "numerals", "message"),
    [("de", "latn", "language 'de' is not offered"), ("ar", "roman", "numerals 'roman'")],
)
def test_refuses_a_language_or_numerals_not_offered(language, numerals, message):
    with pytest.raises(ReportInputError, match=message):
        build(language, numerals)


def test_unit_changes_of_the_year_and_of_the_next_are_listed_with_their_decision():
    created = UnitEvent(
        kind=UnitEventKind.CREATED,
        name_ar="مصلحة معاينة حوادث السير بسطات",
        name_fr="Service des accidents de la circulation de Settat",
        name_en="Settat Traffic-Accident Service",
        effective_on=datetime.date(2025, 6, 1),
        date_precision=DatePrecision.DAY,
        decision_reference="DGSN, bilan annuel 2025",
    )
    planned = UnitEvent(
        kind=UnitEventKind.CREATED,
        name_ar="المقر المركزي الجديد",
        name_fr="Nouveau siège central",
        name_en="New headquarters",
        effective_on=datetime.date(2026, 1, 1),
        date_precision=DatePrecision.YEAR,
        decision_reference="قرار 12",
    )
    figures = year_figures_make(national_unit())
    report = report_build(figures, language="ar", events=[created], planned=[planned, created])
    infrastructure, *_middle, plans = report.sections
    assert [(e.text, e.reference, e.reference_dir) for e in infrastructure.events] == [
        (
            "1 يونيو 2025 — إحداث — مصلحة معاينة حوادث السير بسطات",
            "[DGSN, bilan annuel 2025]",
            "ltr",
        )
    ]
    assert plans.events[0].reference_dir == "rtl"
    english = report_build(figures, language="en", events=[created], planned=[planned, created])
    assert english.sections[0].paragraphs[0].text == (
        "1 change of police units took effect in 2025:"
    )
    assert english.sections[-1].paragraphs[0].text == (
        "2 changes of police units are scheduled for 2026:"
    )
