"""amn.cases.bulk: what the fast write path stores (not how fast: see bench/cases.py).
Runs on the suite's database, SQLite or PostgreSQL (.ci/run runs both)."""

import datetime

import pytest
from django.db import connection, transaction

from amn.cases import reference as cases_reference
from amn.cases.bulk import BulkCase, BulkOffence, bulk_write
from amn.cases.choices import CaseSource, CaseStatus, Clearance, Problem
from amn.cases.models import Arrest, Case, CaseSequence, Offence
from amn.geo.models import Commune, Province, Region
from amn.orgunits import reference as orgunits_reference
from amn.orgunits.choices import DatePrecision
from amn.orgunits.models import OrgUnit, UnitType
from amn.orgunits.services import unit_create

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(scope="module")
def place(django_db_setup, django_db_blocker):
    """A police unit and a commune, the ICCS table and the unit types: built once for the
    module in a transaction rolled back at its end (each test runs in a savepoint)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = place_build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def place_build() -> tuple[OrgUnit, Commune]:
    orgunits_reference.load_reference(actor=None)
    cases_reference.load_reference(actor=None)
    region = Region.objects.create(
        code="03", name_fr="Fès-Meknès", name_ar="فاس مكناس", population_2024=1, households_2024=1
    )
    province = Province.objects.create(
        code="03.231",
        name_fr="Fès",
        name_ar="فاس",
        population_2024=1,
        households_2024=1,
        region=region,
        type="prefecture",
    )
    commune = Commune.objects.create(
        code="03.231.01.0",
        name_fr="Fès",
        name_ar="فاس",
        population_2024=1,
        households_2024=1,
        province=province,
        slug="fes",
        type="urban",
        search_name="fes",
    )
    unit = unit_create(
        actor=None,
        code="ws-fes-d1",
        name_ar="الدائرة الأولى",
        name_fr="1er arrondissement",
        name_en="1st district",
        unit_type=UnitType.objects.get(code="police-district"),
        parent=None,
        commune=commune,
        effective_on=None,
        date_precision=DatePrecision.UNKNOWN,
        decision_reference="test",
    )
    return unit, commune


def robbery(unit: OrgUnit, commune: Commune, key: str, day: D, **changes) -> BulkCase:
    """A robbery cleared by arrest the next day, recorded on `day`."""
    values = {
        "recording_unit_id": unit.pk,
        "occurred_on": day,
        "recorded_on": day,
        "reported_on": day,
        "commune_id": commune.pk,
        "offences": [BulkOffence("0401", Clearance.BY_ARREST, day + datetime.timedelta(days=1))],
        "arrests": [day + datetime.timedelta(days=1)],
        "source_key": key,
        "status": CaseStatus.REFERRED,
    }
    values.update(changes)
    return BulkCase(**values)


def stored() -> dict:
    """Everything bulk_write stores, to compare before and after writing again."""
    return {
        "cases": sorted(
            Case.objects.values_list(
                "reference", "source_key", "recorded_on", "cleared_on", "is_valid", "problems"
            )
        ),
        "offences": sorted(
            Offence.objects.values_list("case__reference", "iccs_id", "clearance", "cleared_on")
        ),
        "arrests": sorted(Arrest.objects.values_list("case__reference", "arrested_on")),
    }


def test_rows_become_cases_offences_and_arrests(place):
    unit, commune = place
    rows = [robbery(unit, commune, f"k{i}", D(2025, 3, 1 + i)) for i in range(3)]

    result = bulk_write(rows, source=CaseSource.IMPORT, source_name="test")

    assert (result.written, result.already_present, result.in_inbox) == (3, 0, 0)
    case = Case.objects.get(source_key="k1")
    assert (case.source, case.source_name, case.status) == ("import", "test", "referred")
    assert (case.occurred_on, case.reported_on, case.recorded_on) == (D(2025, 3, 2),) * 3
    assert case.cleared_on == D(2025, 3, 3)  # every offence cleared: the last clearance
    assert (case.problems, case.is_valid) == ([], True)
    assert case.created_at is not None and case.updated_at is not None
    (offence,) = case.offences.all()
    assert (offence.iccs_id, offence.clearance, offence.cleared_on) == (
        "0401",
        Clearance.BY_ARREST,
        D(2025, 3, 3),
    )
    (arrest,) = case.arrests.all()
    assert (arrest.unit_id, arrest.arrested_on, arrest.party_id) == (unit.pk, D(2025, 3, 3), None)


def test_offences_carry_the_case_copies(place):
    unit, commune = place
    rows = [
        robbery(unit, commune, "valid", D(2025, 5, 4)),
        robbery(unit, commune, "inbox", D(2025, 5, 6), arrests=[]),
    ]

    bulk_write(rows, source=CaseSource.IMPORT, source_name="test")

    for case in Case.objects.all():
        for offence in case.offences.all():
            assert (
                offence.recorded_on,
                offence.recording_unit_id,
                offence.commune_id,
                offence.is_valid,
            ) == (case.recorded_on, case.recording_unit_id, case.commune_id, case.is_valid)
    assert Offence.objects.filter(is_valid=False).count() == 1


def test_writing_the_same_rows_again_changes_nothing(place):
    unit, commune = place
    rows = [robbery(unit, commune, f"k{i}", D(2025, 1, 1 + i)) for i in range(7)]
    bulk_write(rows, source=CaseSource.IMPORT, source_name="test", batch_size=3)
    before = stored()

    again = bulk_write(rows, source=CaseSource.IMPORT, source_name="test", batch_size=2)

    assert (again.written, again.already_present) == (0, 7)
    assert stored() == before


def test_the_same_key_under_another_source_name_is_another_row(place):
    unit, commune = place
    row = robbery(unit, commune, "k1", D(2025, 1, 1))
    bulk_write([row], source=CaseSource.IMPORT, source_name="first")

    result = bulk_write([row], source=CaseSource.IMPORT, source_name="second")

    assert result.written == 1
    assert Case.objects.filter(source_key="k1").count() == 2


def test_a_key_repeated_within_a_batch_is_written_once(place):
    unit, commune = place
    row = robbery(unit, commune, "twice", D(2025, 1, 1))

    result = bulk_write([row, row], source=CaseSource.IMPORT, source_name="test")

    assert (result.written, result.already_present) == (1, 1)


def test_rows_without_a_key_are_always_written(place):
    unit, commune = place
    row = robbery(unit, commune, None, D(2025, 1, 1))

    bulk_write([row], source=CaseSource.IMPORT)
    bulk_write([row], source=CaseSource.IMPORT)

    assert Case.objects.filter(source_key="").count() == 2


def test_rows_with_problems_wait_in_the_inbox(place):
    unit, commune = place
    day = D(2025, 6, 10)
    rows = [
        robbery(unit, commune, "no-arrest", day, arrests=[]),
        robbery(unit, commune, "no-code", day, offences=[BulkOffence(None)], arrests=[]),
        robbery(unit, commune, "dates", day, reported_on=D(2025, 6, 9)),
        robbery(
            unit,
            commune,
            "no-reason",
            day,
            offences=[BulkOffence("0501", Clearance.EXCEPTIONAL, day)],
            arrests=[],
        ),
        robbery(unit, commune, "fine", day),
    ]

    result = bulk_write(rows, source=CaseSource.IMPORT, source_name="test")

    assert result.in_inbox == 4
    problems = dict(Case.objects.values_list("source_key", "problems"))
    assert problems == {
        "no-arrest": [Problem.CLEARED_WITHOUT_ARREST],
        "no-code": [Problem.MISSING_ICCS],
        "dates": [Problem.DATES_OUT_OF_ORDER],
        "no-reason": [Problem.EXCEPTIONAL_WITHOUT_REASON],
        "fine": [],
    }
    valid = dict(Case.objects.values_list("source_key", "is_valid"))
    assert valid == {key: key == "fine" for key in problems}
    assert Case.objects.get(source_key="no-code").offences.get().iccs_id is None


def test_a_case_with_an_offence_not_cleared_has_no_clearance_date(place):
    unit, commune = place
    day = D(2025, 2, 2)
    row = robbery(
        unit,
        commune,
        "half",
        day,
        offences=[BulkOffence("0401", Clearance.BY_ARREST, day), BulkOffence("0901")],
    )

    bulk_write([row], source=CaseSource.IMPORT, source_name="test")

    case = Case.objects.get(source_key="half")
    assert case.cleared_on is None
    assert sorted(case.offences.values_list("iccs_id", "clearance")) == [
        ("0401", Clearance.BY_ARREST),
        ("0901", Clearance.NOT_CLEARED),
    ]


def test_references_are_unique_and_sequential_per_year(place):
    unit, commune = place
    CaseSequence.objects.create(key=2025 * 10, last=41)  # 41 cases of 2025 recorded before
    rows = [
        robbery(unit, commune, f"k{i}", D(2024 if i % 3 == 0 else 2025, 12, 1 + i))
        for i in range(10)
    ]

    bulk_write(rows, source=CaseSource.IMPORT, source_name="test", batch_size=4)

    by_key = dict(Case.objects.values_list("source_key", "reference"))
    assert [by_key[f"k{i}"] for i in (0, 3, 6, 9)] == [
        "CJ-2024-000001",
        "CJ-2024-000002",
        "CJ-2024-000003",
        "CJ-2024-000004",
    ]
    assert [by_key[f"k{i}"] for i in (1, 2, 4, 5, 7, 8)] == [
        f"CJ-2025-{n:06d}" for n in range(42, 48)
    ]
    assert CaseSequence.objects.get(key=2025 * 10).last == 47


def test_case_ids_grow_within_a_load(place):
    """Time-ordered ids: the primary-key index grows at its end."""
    unit, commune = place
    rows = [robbery(unit, commune, f"k{i:02d}", D(2025, 1, 1)) for i in range(30)]

    bulk_write(rows, source=CaseSource.IMPORT, source_name="test", batch_size=7)

    ids = [pk.int for pk in Case.objects.order_by("source_key").values_list("id", flat=True)]
    assert ids == sorted(ids) and len(set(ids)) == 30


def index_names() -> dict[str, set[str]]:
    tables = ("cases_case", "cases_offence", "cases_arrest", "cases_seizure")
    with connection.cursor() as cursor:
        return {
            table: {
                name
                for name, info in connection.introspection.get_constraints(cursor, table).items()
                if info["index"] or info["foreign_key"]
            }
            for table in tables
        }


def test_a_load_with_deferred_indexes_stores_the_same_and_keeps_the_schema(place):
    unit, commune = place
    before = index_names()
    rows = [robbery(unit, commune, f"k{i}", D(2025, 4, 1 + i)) for i in range(5)]

    result = bulk_write(
        rows, source=CaseSource.IMPORT, source_name="test", batch_size=2, defer_indexes=True
    )

    assert (result.written, result.in_inbox) == (5, 0)
    assert index_names() == before
    assert Offence.objects.filter(case__source_key="k3", recorded_on=D(2025, 4, 4)).count() == 1
    assert sorted(Case.objects.values_list("reference", flat=True)) == [
        f"CJ-2025-{n:06d}" for n in range(1, 6)
    ]


def test_a_failed_load_with_deferred_indexes_leaves_nothing_and_keeps_the_schema(place):
    unit, commune = place
    before = index_names()

    def rows():
        yield robbery(unit, commune, "k1", D(2025, 4, 1))
        yield robbery(unit, commune, "k2", D(2025, 4, 2))
        raise ValueError("the source broke")

    with pytest.raises(ValueError, match="the source broke"):
        bulk_write(
            rows(), source=CaseSource.IMPORT, source_name="test", batch_size=1, defer_indexes=True
        )

    assert Case.objects.count() == 0
    assert index_names() == before
