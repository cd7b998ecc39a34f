"""The 2025 report generated from a demo year reproduces the DGSN 2025 release: every
figure of the fixture amn/indicators/published/dgsn_2025_release.toml (written from
../shared/seed/), at the demo scale (settings.AMN_DEMO_SCALE; bench/report.py checks
scale 1.0)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from amn.indicators.published.release import release_figures
from amn.indicators.selectors import tree_root
from amn.indicators.yearly import ENTERED, RECORDS, year_figures
from amn.reports.builder import report_build
from amn.reports.rendering import report_json

RELEASE = release_figures(2025)


def _foreign_tree():
    """A second root serving the public, as `amn import-incidents` creates (US-CHI): the
    generated year must stay in the national tree, and so must the report's figures."""
    from amn.geo.models import Commune
    from amn.orgunits.choices import DatePrecision
    from amn.orgunits.models import UnitType
    from amn.orgunits.services import unit_create

    unit_create(
        actor=None,
        code="XX-FOREIGN",
        name_ar="XX",
        name_fr="XX",
        name_en="XX",
        unit_type=UnitType.objects.get(code="police-district"),
        parent=None,
        commune=Commune.objects.order_by("code").first(),
        effective_on=None,
        date_precision=DatePrecision.UNKNOWN,
        decision_reference="test",
    )


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """A database with the demo data and the 2025 year (and 2024, for the changes)
    generated at the demo scale, in a transaction rolled back after the module."""
    quiet = {"stdout": open("/dev/null", "w")}  # noqa: SIM115
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load-reference", **quiet)
            call_command("load-demo", **quiet)
            _foreign_tree()
            call_command("generate-year", "--year", "2025", "--previous-year", **quiet)
            figures = year_figures(year=2025, unit=tree_root())
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield figures
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize("published", RELEASE, ids=[f["indicator"] for f in RELEASE])
def test_every_release_figure_is_reproduced(generated, published):
    scale = settings.AMN_DEMO_SCALE
    figure = generated.get(published["indicator"])
    assert figure is not None, f"{published['indicator']} is not in the catalogue"
    if published["origin"] == ENTERED:
        assert figure.value == published["value"]
        assert figure.provenance.kind == ENTERED
        assert published["quote"] in figure.provenance.source
        return
    assert figure.provenance.kind == RECORDS
    if published.get("scaled"):
        assert figure.value == round(published["value"] * scale)
    elif published["relation"] == "about":
        assert abs(figure.value - published["value"]) <= 0.5  # "معدل زجر بلغ 95%"
    else:
        assert figure.value == published["value"]
    if "change" in published:
        assert abs(figure.change - published["change"]) <= 0.5  # "تراجع … بنسبة 10%"


@pytest.mark.django_db
def test_the_json_report_carries_the_same_figures(generated):
    document = report_json(report_build(generated, language="en"))
    assert document["year"] == 2025 and document["language"] == "en"
    assert document["snapshot_checksum"] == generated.snapshot_checksum
    assert document["scale"] == settings.AMN_DEMO_SCALE
    rows = {row["indicator"]: row for row in document["figures"]}
    for published in RELEASE:
        figure = generated.get(published["indicator"])
        row = rows[published["indicator"]]
        assert (row["value"], row["previous_value"], row["change"]) == (
            figure.value,
            figure.previous_value,
            figure.change,
        )
        assert row["unit_of_measure"] == figure.unit_of_measure and row["definition"]
