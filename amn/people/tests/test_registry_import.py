"""registry_import and registry_bulk_load: all or nothing, the report of refused lines,
repeats, convictions and match keys. Runs on SQLite and PostgreSQL (.ci/run runs both)."""

import datetime
import json

import pytest

from amn.audit.models import AuditEvent
from amn.people.identity import IdentityRecord, PartialDate
from amn.people.matching import person_identity_record, person_match_keys
from amn.people.models import JudicialRecord, Person, PersonMatchKey
from amn.people.registry_io import ConvictionInput, RegistryEntry
from amn.people.services import registry_bulk_load, registry_import
from amn.people.tests.conftest import jsonl, person_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit(registry_world):
    world, _communes = registry_world
    return world.units["dgsn"]


def _import(lines, unit, **options):
    return registry_import(actor=None, lines=lines, recorded_by=unit, **options)


def test_a_clean_file_is_imported_whole(unit, registry_world):
    _world, communes = registry_world
    lines = jsonl(
        person_line(1),
        person_line(2, birth_date="1958", birth_place="Casablanca", cnie=None),
        "",
        person_line(3, family_name_lat="", given_name_lat="", birth_date=None),
    )

    report = _import(lines, unit)

    assert (report.read, report.imported, report.convictions, report.rejected) == (3, 3, 0, [])
    first = Person.objects.get(registry_id="P1")
    assert (first.cnie_number, first.birth_date, first.birth_year) == (
        "X1",
        datetime.date(1980, 5, 17),
        None,
    )
    assert first.birth_place == communes["03.231.01.0"]
    assert (first.father_given_name, first.mother_given_name) == ("أحمد", "Fatima")
    assert (first.family_name_ar, first.family_name_latin, first.sex) == (
        "الإدريسي",
        "El Idrissi",
        "M",
    )
    assert first.recorded_by == unit
    assert first.nationality == "MA"
    second = Person.objects.get(registry_id="P2")
    assert (second.birth_date, second.birth_year, second.cnie_number) == (None, 1958, None)
    assert second.birth_place == communes["06.141.01.0"]
    third = Person.objects.get(registry_id="P3")
    assert (third.family_name_latin, third.birth_date, third.birth_year) == ("", None, None)


def test_match_keys_are_written_for_every_imported_person(unit):
    _import(jsonl(person_line(1), person_line(2, birth_date="1958", given_name_lat="Ali")), unit)

    for person in Person.objects.filter(registry_id__in=["P1", "P2"]):
        stored = set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))
        assert stored
        assert stored == person_match_keys(person_identity_record(person))


def test_convictions_are_imported_with_the_person(unit):
    line = person_line(
        7,
        convictions=[
            {
                "court": "المحكمة الابتدائية بفاس",
                "judgment_date": "2003-07-09",
                "iccs_code": "0502",
                "sentence": "سنة حبسا موقوف التنفيذ",
                "cleared_on": "2010-07-09",
            },
            {
                "court": "Tribunal de première instance de Fès",
                "judgment_date": "2019-09-30",
                "iccs_code": "0601",
                "sentence": "2 ans",
            },
        ],
    )

    report = _import(jsonl(line), unit)

    assert (report.imported, report.convictions) == (1, 2)
    person = Person.objects.get(registry_id="P7")
    cleared, current = JudicialRecord.objects.filter(person=person).order_by("judgment_date")
    assert (cleared.offence_id, cleared.judgment_date, cleared.cleared_on) == (
        "0502",
        datetime.date(2003, 7, 9),
        datetime.date(2010, 7, 9),
    )
    assert (current.offence_id, current.cleared_on, current.court) == (
        "0601",
        None,
        "Tribunal de première instance de Fès",
    )


def test_one_refused_line_writes_nothing_and_every_refusal_is_reported(unit):
    before = (Person.objects.count(), PersonMatchKey.objects.count(), AuditEvent.objects.count())
    lines = jsonl(
        person_line(1),
        person_line(2, cnie="123", birth_date="1999-02-30"),
        "{not json",
        person_line(4),
        person_line(5, birth_place="Atlantis", nickname="Momo"),
        [1, 2],
        person_line(7, person_id=None),
        person_line(
            8,
            convictions=[
                {"court": "x", "judgment_date": "2010-01-01", "iccs_code": "99", "sentence": "y"}
            ],
        ),
    )

    report = _import(lines, unit)

    assert report.imported == 0
    assert report.read == 8
    assert [(r.line, r.field) for r in report.rejected] == [
        (2, "birth_date"),
        (2, "cnie"),
        (3, ""),
        (5, "birth_place"),
        (5, "nickname"),
        (6, ""),
        (7, "person_id"),
        (8, "convictions[0].iccs_code"),
    ]
    assert report.rejected_lines == 6
    assert all(r.reason for r in report.rejected)
    assert (
        Person.objects.count(),
        PersonMatchKey.objects.count(),
        AuditEvent.objects.count(),
    ) == before


def test_repeats_inside_the_file_are_refused_after_their_first_line(unit):
    lines = jsonl(
        person_line(1),
        person_line(2),
        person_line(1, cnie="Y9"),  # person_id of line 1 again
        person_line(4, cnie="x2"),  # CNIE of line 2 again (normalised)
        person_line(1, cnie="X2"),  # both again
    )

    report = _import(lines, unit)

    assert report.imported == 0
    assert [(r.line, r.field, r.reason) for r in report.rejected] == [
        (3, "person_id", "Same value as on line 1."),
        (4, "cnie", "Same value as on line 2."),
        (5, "cnie", "Same value as on line 2."),
        (5, "person_id", "Same value as on line 1."),
    ]
    assert not Person.objects.filter(registry_id__in=["P1", "P2", "P4"]).exists()


def test_persons_already_in_the_registry_are_refused(unit, registry_world):
    world, _communes = registry_world
    _import(jsonl(person_line(1)), unit)
    demo_cnie = world.persons["C100001"].cnie_number

    report = _import(jsonl(person_line(1, cnie="Z1"), person_line(2, cnie=demo_cnie.lower())), unit)

    assert [(r.line, r.field) for r in report.rejected] == [(1, "person_id"), (2, "cnie")]
    assert not Person.objects.filter(registry_id="P2").exists()


def test_repeats_are_found_across_check_chunks(unit, monkeypatch):
    monkeypatch.setattr("amn.people.services._CHECK_CHUNK", 3)
    lines = jsonl(*(person_line(n) for n in range(1, 10)), person_line(2, cnie="Q1"))

    report = _import(lines, unit)

    assert [(r.line, r.field) for r in report.rejected] == [(10, "person_id")]


def test_many_lines_in_small_batches(unit):
    lines = jsonl(*(person_line(n, birth_date=str(1940 + n % 60)) for n in range(1, 131)))

    report = _import(lines, unit, batch_size=17, defer_indexes_from=100)

    assert report.imported == 130
    assert Person.objects.filter(registry_id__startswith="P").count() == 130
    assert PersonMatchKey.objects.filter(person__registry_id="P77").exists()
    assert Person.objects.filter(registry_id="P77").get().birth_year == 1940 + 77 % 60


def test_the_import_is_audited_once_with_counts_and_no_names(unit):
    _import(jsonl(person_line(1), person_line(2)), unit)

    event = AuditEvent.objects.get(action="bulk_load", target="people.person")
    assert event.detail["persons"] == 2
    assert event.detail["source"] == "import"
    assert "Idrissi" not in json.dumps(event.detail) and "X1" not in json.dumps(event.detail)


def test_a_one_shot_iterator_is_refused(unit):
    with pytest.raises(TypeError):
        _import(iter(jsonl(person_line(1))), unit)


def test_bytes_lines_and_a_bad_utf8_line(unit):
    lines = [json.dumps(person_line(1)).encode(), b'{"family_name_lat": "\xff"}']

    report = _import(lines, unit)

    assert [(r.line, r.field) for r in report.rejected] == [(2, "")]


def test_registry_bulk_load_takes_records_and_entries(unit, registry_world):
    records = [
        IdentityRecord(
            person_id=f"B{n}",
            family_name_lat="Bennani",
            given_name_lat="Khadija",
            birth_date=PartialDate(1975) if n % 2 else PartialDate(1975, 1, n + 1),
            birth_place="03.231.01.0" if n % 3 else "",
        )
        for n in range(10)
    ]
    entry = RegistryEntry(
        IdentityRecord(person_id="B99", family_name_ar="بناني"),
        (ConvictionInput("court", datetime.date(2001, 1, 1), "0401", "fine", None),),
    )

    written = registry_bulk_load(records=[*records, entry], recorded_by=unit, batch_size=4)

    assert written == 11
    stored = {p.registry_id: p for p in Person.objects.filter(registry_id__startswith="B")}
    assert stored["B1"].birth_year == 1975 and stored["B1"].birth_date is None
    assert stored["B2"].birth_date == datetime.date(1975, 1, 3)
    assert stored["B0"].birth_place_id is None and stored["B1"].birth_place_id is not None
    assert stored["B99"].convictions.get().offence_id == "0401"
    assert PersonMatchKey.objects.filter(person=stored["B99"]).exists()
    ids = [p.pk for p in Person.objects.filter(registry_id__startswith="B").order_by("pk")]
    assert len(set(ids)) == 11


def test_match_keys_computed_by_worker_processes_are_the_same(unit):
    lines = jsonl(*(person_line(n, birth_date=str(1940 + n)) for n in range(1, 26)))

    report = _import(lines, unit, batch_size=4, key_workers=2)

    assert report.imported == 25
    for person in Person.objects.filter(registry_id__in=["P1", "P13", "P25"]):
        stored = set(PersonMatchKey.objects.filter(person=person).values_list("key", flat=True))
        assert stored == person_match_keys(person_identity_record(person))
