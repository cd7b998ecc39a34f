"""A year's figures for the report: provenance (records, entered, published), previous
values, snapshots and restatements, the records behind a figure."""

import datetime
import os
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from amn.cases.services import OffenceInput
from amn.core.errors import DomainError
from amn.indicators.engine import FigureError
from amn.indicators.models import Indicator, Snapshot
from amn.indicators.services import (
    aggregate_entry_record,
    generated_year_record,
    snapshot_publish,
)
from amn.indicators.tests.factories import FES, _case
from amn.indicators.yearly import ENTERED, PUBLISHED, RECORDS, check_year, year_figures

pytestmark = pytest.mark.django_db
SOURCE_DATE = datetime.date(2025, 12, 17)


def test_recorded_figures_come_from_records_and_absent_tables_state_nothing(stats_world):
    figures = year_figures(year=2025, unit=stats_world.units["dg"])
    cases = figures.get("cases_recorded")
    assert cases.value == 5 and cases.provenance.kind == RECORDS
    assert cases.previous_value == 3 and cases.previous_provenance.kind == RECORDS
    assert cases.section == "crime" and cases.name == "Criminal cases recorded"
    # No CNIE card exists at all in 2025: nothing to state, never a 0 that looks like a fact.
    cnie = figures.get("cnie_produced")
    assert cnie.value is None and cnie.provenance is None and cnie.by_region == ()
    assert figures.get("cases_recorded").by_region  # regions of the national tree
    assert next(f.code for f in figures.in_section("crime")) == "cases_recorded"


def test_a_subtree_counts_its_own_records(stats_world):
    fes = year_figures(year=2025, unit=stats_world.units["ws-fes"], breakdowns=False)
    agadir = year_figures(year=2025, unit=stats_world.units["ws-agadir"], breakdowns=False)
    national = year_figures(year=2025, unit=stats_world.units["dg"], breakdowns=False)
    code = "cases_recorded"
    assert fes.get(code).value + agadir.get(code).value == national.get(code).value


def test_entered_figures_carry_who_and_which_source(stats_world):
    dg, analyst = stats_world.units["dg"], stats_world.users["analyst.hq"]
    aggregate_entry_record(
        actor=analyst,
        indicator_code="interpol_assembly_countries",
        year=2025,
        unit=dg,
        value=180,
        source="first count",
        source_date=SOURCE_DATE,
    )
    aggregate_entry_record(
        actor=analyst,
        indicator_code="interpol_assembly_countries",
        year=2025,
        unit=dg,
        value="181",
        source="DGSN release",
        source_date=SOURCE_DATE,
    )
    figure = year_figures(year=2025, unit=dg).get("interpol_assembly_countries")
    assert figure.value == 181  # the latest entry; the first one stays as history
    assert figure.provenance.kind == ENTERED
    assert figure.provenance.source == "DGSN release (2025-12-17)"
    assert figure.provenance.entered_by == "Analyst, dg"  # role and unit, never a name
    assert figure.provenance.entered_on == timezone.localdate()  # the day it was typed


@pytest.mark.parametrize(
    ("code", "value", "source", "message"),
    [
        ("cases_recorded", 1, "x", "computed from records"),
        ("no_such_code", 1, "x", "No indicator"),
        ("open_days_visitors", -1, "x", "zero or more"),
        ("open_days_visitors", "many", "x", "not a number"),
        ("open_days_visitors", 1, "  ", "source"),
    ],
)
def test_bad_entries_are_refused_with_the_reason(stats_world, code, value, source, message):
    with pytest.raises(DomainError, match=message):
        aggregate_entry_record(
            actor=None,
            indicator_code=code,
            year=2025,
            unit=stats_world.units["dg"],
            value=value,
            source=source,
            source_date=SOURCE_DATE,
        )


def test_an_officer_cannot_enter_figures(stats_world):
    with pytest.raises(DomainError, match="does not publish"):
        aggregate_entry_record(
            actor=stats_world.users["officer.fes"],
            indicator_code="open_days_visitors",
            year=2025,
            unit=stats_world.units["ws-fes"],
            value=1,
            source="x",
            source_date=SOURCE_DATE,
        )


@pytest.mark.parametrize("year", [1800, 1955, 3000])
def test_unknown_years_are_refused(year):
    with pytest.raises(FigureError, match=str(year)):
        check_year(year)


def test_publishing_freezes_and_a_correction_is_shown_as_restated(stats_world):
    dg = stats_world.units["dg"]
    first = snapshot_publish(actor=stats_world.users["analyst.hq"], year=2025, unit=dg)
    frozen = year_figures(year=2025, unit=dg)
    assert frozen.snapshot_checksum == first.checksum
    cases = frozen.get("cases_recorded")
    assert cases.as_published == cases.value == 5 and not cases.restated
    stored = first.figures.get(indicator_code="cases_recorded")
    assert stored.value == Decimal(5) and stored.definition["name_en"] == "Criminal cases recorded"
    # A late case changes the figure: the as-published value stays beside the restated one.
    _case(
        stats_world.units["ws-fes-d1"],
        stats_world.communes[FES],
        datetime.date(2025, 6, 1),
        [OffenceInput("0601")],
    )
    restated = year_figures(year=2025, unit=dg).get("cases_recorded")
    assert restated.as_published == 5 and restated.value == 6 and restated.restated
    second = snapshot_publish(actor=None, year=2025, unit=dg)
    first.refresh_from_db()
    assert first.superseded_by == second and first.superseded_at is not None
    assert Snapshot.objects.filter(year=2025, org_unit=dg, superseded_at=None).get() == second


def test_previous_year_falls_back_to_published_figures_scaled_to_generated_records(
    stats_world, tmp_path
):
    dg = stats_world.units["dg"]
    published = tmp_path / "published.csv"
    published.write_text(
        "indicator,year,value,unit,note,source_title,source_url,source_language\n"
        "criminal_cases_recorded,2023,400,cases,,Press,https://example.org/a,ar\n"
        "clearance_rate_pct,2023,90,percent,,Press,https://example.org/a,ar\n"
        "cannabis_resin_seized,2023,1.5,tonnes,,Press,https://example.org/b,ar\n"
        "bouffa_seized,2023,5.6,kg,,Press,https://example.org/c,ar\n",
        encoding="utf-8",
    )
    call_command("load-published", "--file", str(published), stdout=open("/dev/null", "w"))  # noqa: SIM115
    # 2024 has records, 2023 none: the previous value is the published one.
    cases = year_figures(year=2024, unit=dg).get("cases_recorded")
    assert cases.value == 3 and cases.provenance.kind == RECORDS
    assert cases.previous_value == 400 and cases.previous_provenance.kind == PUBLISHED
    assert "https://example.org/a" in cases.previous_provenance.source
    assert cases.change == -99.3
    generated_year_record(year=2024, scale=0.01)
    scaled = year_figures(year=2024, unit=dg)
    assert scaled.scale == 0.01
    assert scaled.get("cases_recorded").previous_value == 4  # 400 × 0.01
    assert scaled.get("cases_recorded").change == -25.0
    assert scaled.get("clearance_rate").previous_value == 90  # a rate is not scaled
    # The 2023 report itself states the published figures, kg converted from tonnes.
    year_2023 = year_figures(year=2023, unit=dg)
    assert year_2023.get("cannabis_resin_seized_kg").value == 1500
    assert year_2023.get("cannabis_resin_seized_kg").provenance.kind == PUBLISHED
    assert year_2023.get("cases_recorded").value == 400
    assert year_2023.get("cases_recorded").provenance.entered_on is None  # article date unknown
    assert year_2023.get("cnie_produced").value is None
    # A generated year states its published figures at its own scale (like with like).
    generated_year_record(year=2023, scale=0.01)
    scaled_2023 = year_figures(year=2023, unit=dg)
    assert scaled_2023.get("cannabis_resin_seized_kg").value == 15
    assert scaled_2023.get("clearance_rate").value == 90
    assert "× 0.01" in scaled_2023.get("cases_recorded").provenance.source


def test_loading_published_figures_twice_changes_nothing(stats_world, tmp_path):
    path = tmp_path / "published.csv"
    path.write_text(
        "indicator,year,value,unit,note,source_title,source_url,source_language\n"
        "criminal_cases_recorded,2023,738748,cases,,A,https://example.org/a,ar\n"
        "criminal_cases_recorded,2023,738748,cases,,B,https://example.org/b,ar\n",
        encoding="utf-8",
    )
    call_command("load-published", "--file", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load-published", "--file", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Snapshot.objects.filter(year=2023).count() == 1


def test_conflicting_published_values_load_nothing(stats_world, tmp_path):
    path = tmp_path / "published.csv"
    path.write_text(
        "indicator,year,value,unit,note,source_title,source_url,source_language\n"
        "drug_cases,2024,1,cases,,A,https://example.org/a,ar\n"
        "criminal_cases_recorded,2023,738748,cases,,A,https://example.org/a,ar\n"
        "criminal_cases_recorded,2023,700000,cases,,B,https://example.org/b,ar\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"row 4.*given twice"):
        call_command("load-published", "--file", str(path))
    assert not Snapshot.objects.exists()


def test_the_records_behind_a_figure_are_its_query_for_staff_in_scope(client, stats_world):
    from amn.audit.models import AuditEvent

    client.force_login(stats_world.users["officer.fes"])
    url = "/staff/indicators/cases_recorded/records/"
    page = client.get(url, {"year": 2025, "unit": "ws-fes"})
    fes_count = year_figures(year=2025, unit=stats_world.units["ws-fes"]).get("cases_recorded")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == fes_count.value
    event = AuditEvent.objects.filter(action="list").latest("pk")
    assert event.detail == {"indicator": "cases_recorded", "year": 2025, "unit": "ws-fes"}
    assert client.get(url, {"year": 2025, "unit": "ws-agadir"}).status_code == 404
    assert client.get(url, {"year": "x"}).status_code == 400
    entered = "/staff/indicators/open_days_visitors/records/"
    assert client.get(entered, {"year": 2025}).status_code == 400


def test_the_shared_published_figures_load_with_their_negative_changes_skipped(
    stats_world, shared_data
):
    """The real file holds percent changes (negative) beside the figures: only catalogue
    figures are loaded, each year once (2024: cases 755,541, cannabis 123,971 kg)."""
    path = shared_data / "dgsn" / "dgsn_published_figures.csv"
    with open(os.devnull, "w") as quiet:
        call_command("load-published", "--file", str(path), "--until", "2024", stdout=quiet)
    figures = year_figures(year=2023, unit=stats_world.units["dg"]).get("cases_recorded")
    assert figures.value == 738748 and figures.provenance.kind == PUBLISHED
    snapshot = Snapshot.objects.get(year=2024, superseded_at=None)
    values = {row.indicator_code: row.value for row in snapshot.figures.all()}
    assert values["cases_recorded"] == 755541
    assert values["cannabis_resin_seized_kg"] == Decimal("123971.000")
    assert not Snapshot.objects.filter(year=2025).exists()


def test_a_negative_published_count_is_refused_with_its_row(stats_world, tmp_path):
    path = tmp_path / "published.csv"
    path.write_text(
        "indicator,year,value,unit,note,source_title,source_url,source_language\n"
        "drug_cases_change_pct,2024,-7,percent,,A,https://example.org/a,ar\n"
        "drug_cases,2023,-5,cases,,A,https://example.org/a,ar\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match=r"row 3, field 'value'.*cannot be negative"):
        call_command("load-published", "--file", str(path))
    assert not Snapshot.objects.exists()


def test_analysts_enter_figures_from_the_back_office(client, stats_world):
    client.force_login(stats_world.users["analyst.hq"])
    url = "/staff/indicators/entries/"
    assert client.get(url).status_code == 200
    form = {
        "indicator": Indicator.objects.get(code="open_days_visitors").pk,
        "year": 2025,
        "unit": "",
        "value": "2400000",
        "source": "DGSN bulletin",
        "source_date": "2025-12-17",
    }
    assert client.post(url, form).status_code == 302
    figure = year_figures(year=2025, unit=stats_world.units["dg"]).get("open_days_visitors")
    assert figure.value == 2400000
    assert figure.provenance.source == "DGSN bulletin (2025-12-17)"
    refused = client.post(url, {**form, "value": "-3"})
    assert refused.status_code == 200 and "value" in refused.context["form"].errors
    client.force_login(stats_world.users["officer.fes"])
    assert client.get(url).status_code == 403


def test_months_are_computed_only_for_the_figures_asked(stats_world):
    figures = year_figures(
        year=2025, unit=stats_world.units["dg"], months_for=frozenset({"cases_recorded"})
    )
    assert len(figures.get("cases_recorded").by_month) == 12
    assert figures.get("arrests").by_month == ()
    assert figures.get("arrests").by_region  # regions stay for every figure


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        (
            "indicator,year,value,unit,note,source_title,source_url,source_language\n",
            "no figure below the header",
        ),
    ],
)
def test_an_empty_published_file_is_refused(stats_world, tmp_path, content, message):
    path = tmp_path / "published.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("load-published", "--file", str(path))
