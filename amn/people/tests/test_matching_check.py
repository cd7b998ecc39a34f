"""registry_check: blocking through PersonMatchKey, field-level scoring, outcomes."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amn.geo.models import Commune, Province, Region
from amn.people.identity import CheckOutcome, IdentityRecord, PartialDate
from amn.people.matching import person_identity_record, person_match_keys, registry_check
from amn.people.matching.check import birth_place_codes
from amn.people.models import Person, PersonMatchKey

pytestmark = pytest.mark.django_db

FES, SEFROU, AGADIR = "05.231.01.01", "05.451.01.01", "09.001.01.01"
FES_JDID = "05.231.01.03"


@pytest.fixture
def communes():
    """Three communes: two in the Fès region (different provinces), one in Agadir."""
    made = {}
    for region_code, province_code, code, fr, ar in (
        ("05", "05.231", FES, "Fès", "فاس"),
        ("05", "05.231", FES_JDID, "Fès Jdid", "فاس الجديد"),
        ("05", "05.451", SEFROU, "Sefrou", "صفرو"),
        ("09", "09.001", AGADIR, "Agadir", "أكادير"),
    ):
        region, _ = Region.objects.get_or_create(
            code=region_code,
            defaults={"name_fr": region_code, "name_ar": region_code, "population_2024": 1,
                      "households_2024": 1},
        )  # fmt: skip
        province, _ = Province.objects.get_or_create(
            code=province_code,
            defaults={"name_fr": province_code, "name_ar": province_code, "region": region,
                      "population_2024": 1, "households_2024": 1, "type": "province"},
        )  # fmt: skip
        made[code] = Commune.objects.create(
            code=code, name_fr=fr, name_ar=ar, province=province, slug=fr.lower(),
            type="urban", population_2024=1, households_2024=1,
            search_name=f"{fr.lower().replace('è', 'e')} {ar.replace('أ', 'ا')}",
        )  # fmt: skip
    return made


@pytest.fixture
def register(world):
    """Record a person in the registry with their match keys, as the registry writes do."""

    def _register(**fields) -> Person:
        person = Person.objects.create(recorded_by=world.units["ws-fes-d1"], **fields)
        keys = person_match_keys(person_identity_record(person))
        PersonMatchKey.objects.bulk_create(PersonMatchKey(person=person, key=k) for k in keys)
        return person

    return _register


def fields_of(candidate) -> dict:
    return {f.field: f for f in candidate.fields}


def test_latin_applicant_finds_the_arabic_registry_entry(register):
    person = register(
        given_name_ar="يوسف",
        family_name_ar="الشرقاوي",
        birth_date=datetime.date(1984, 6, 2),
        father_given_name="محمد",
        mother_given_name="فاطمة",
        sex="M",
    )
    result = registry_check(
        IdentityRecord(
            given_name_lat="Youcef",
            family_name_lat="Echcherkaoui",
            birth_date=PartialDate(1984, 6, 2),
            father_given_name="Mohammed",
            mother_given_name="Fatima",
            sex="M",
        )
    )

    assert result.outcome == CheckOutcome.RECORD_FOUND
    assert result.candidates[0].person_id == str(person.id)
    assert result.score == result.candidates[0].score > 0.99
    fields = fields_of(result.candidates[0])
    assert fields["given_name"].agreement == "close"
    assert fields["given_name"].detail == "same sound across scripts"
    assert fields["birth_date"].agreement == "exact"
    assert fields["father_given_name"].agreement == "close"


def test_arabic_applicant_finds_the_latin_registry_entry(register, communes):
    person = register(
        given_name_latin="ABDERRAHMANE",
        family_name_latin="EL AMRANI",
        birth_year=1956,
        father_given_name="Lahcen",
        mother_given_name="Khadija",
        birth_place=communes[AGADIR],
        sex="M",
    )
    applicant = dict(
        given_name_ar="عبد الرَّحمن",
        family_name_ar="العمراني",
        birth_date=PartialDate(1956, 3, 1),
        father_given_name="الحسن",
        mother_given_name="خديجة",
        sex="M",
    )

    result = registry_check(IdentityRecord(**applicant))
    assert result.candidates[0].person_id == str(person.id)
    fields = fields_of(result.candidates[0])
    assert fields["birth_date"].agreement == "close"
    assert "only the year" in fields["birth_date"].detail
    # A year and common parents' names are not enough to decide alone …
    assert result.outcome == CheckOutcome.POSSIBLE_MATCH
    # … the birth place is.
    result = registry_check(IdentityRecord(**applicant, birth_place="أكادير"))
    assert result.outcome == CheckOutcome.RECORD_FOUND


def test_every_candidate_explains_its_score_field_by_field(register):
    register(given_name_latin="Said", family_name_latin="Alaoui", birth_year=1970, sex="M")
    result = registry_check(
        IdentityRecord(
            given_name_lat="Said", family_name_lat="Alaoui", birth_date=PartialDate(1970)
        )
    )

    candidate = result.candidates[0]
    assert [f.field for f in candidate.fields] == [
        "given_name",
        "family_name",
        "birth_date",
        "birth_place",
        "father_given_name",
        "mother_given_name",
        "cnie",
        "sex",
    ]
    assert {f.agreement for f in candidate.fields} <= {
        "exact", "close", "partial", "disagree", "missing"
    }  # fmt: skip
    missing = [f for f in candidate.fields if f.agreement == "missing"]
    assert missing and all(f.weight == 0 for f in missing)
    # Names and a year alone cannot tell a person from a homonym: a human decides.
    assert result.outcome == CheckOutcome.POSSIBLE_MATCH


def test_homonyms_are_separated_by_parents_and_birth_place(register, communes):
    wanted = register(
        given_name_latin="Mohamed",
        family_name_latin="Bennani",
        birth_year=1962,
        father_given_name="Ahmed",
        mother_given_name="Zineb",
        birth_place=communes[FES],
        sex="M",
    )
    register(
        given_name_latin="Mohammed",
        family_name_latin="Benani",
        birth_year=1962,
        father_given_name="Abdelkader",
        mother_given_name="Rahma",
        birth_place=communes[AGADIR],
        sex="M",
    )
    applicant = dict(
        given_name_lat="MOHAMED", family_name_lat="BENNANI", birth_date=PartialDate(1962), sex="M"
    )  # fmt: skip

    same = registry_check(
        IdentityRecord(
            **applicant, father_given_name="أحمد", mother_given_name="زينب", birth_place="فاس"
        )
    )
    assert same.outcome == CheckOutcome.RECORD_FOUND
    assert same.candidates[0].person_id == str(wanted.id)
    assert len(same.candidates) == 2
    assert same.candidates[1].score < 0.01

    other = registry_check(
        IdentityRecord(
            **applicant, father_given_name="Driss", mother_given_name="Naima", birth_place=SEFROU
        )
    )
    assert other.outcome == CheckOutcome.NO_RECORD
    place = fields_of(other.candidates[0])["birth_place"]
    assert place.agreement in ("close", "disagree")
    assert place.weight < 0


def test_cnie_decides_between_homonyms(register):
    register(given_name_latin="Ali", family_name_latin="Tazi", birth_year=1990, cnie_number="A1")
    result = registry_check(
        IdentityRecord(
            given_name_lat="Ali", family_name_lat="Tazi", birth_date=PartialDate(1990), cnie="B2"
        )
    )
    assert result.outcome == CheckOutcome.NO_RECORD
    assert fields_of(result.candidates[0])["cnie"].agreement == "disagree"


def test_swapped_names_are_found_and_said(register):
    person = register(
        given_name_latin="Karim", family_name_latin="Berrada", birth_date=datetime.date(1979, 1, 5)
    )
    result = registry_check(
        IdentityRecord(
            given_name_lat="Berrada", family_name_lat="Karim", birth_date=PartialDate(1979, 1, 5)
        )
    )
    assert result.candidates[0].person_id == str(person.id)
    assert result.outcome != CheckOutcome.NO_RECORD
    assert "swapped" in fields_of(result.candidates[0])["given_name"].detail


def test_no_candidate_gives_no_record(register):
    register(given_name_latin="Karim", family_name_latin="Berrada", birth_year=1979)
    result = registry_check(
        IdentityRecord(
            given_name_lat="Nadia", family_name_lat="Skalli", birth_date=PartialDate(1979)
        )
    )
    assert result.outcome == CheckOutcome.NO_RECORD
    assert result.score == 0
    assert result.candidates == []


def test_limit_bounds_the_candidates(register):
    for _ in range(4):
        register(given_name_latin="Omar", family_name_latin="Idrissi", birth_year=1980)
    result = registry_check(
        IdentityRecord(
            given_name_lat="Omar", family_name_lat="Idrissi", birth_date=PartialDate(1980)
        ),
        limit=2,
    )
    assert len(result.candidates) == 2


def test_birth_place_is_read_as_a_code_or_a_name(communes):
    assert birth_place_codes(FES) == {FES}
    assert birth_place_codes("FÈS") == {FES}
    assert birth_place_codes("فاس") == {FES}
    assert birth_place_codes("Fès Jdid") == {FES_JDID}
    assert birth_place_codes("Atlantis") == frozenset()
    assert birth_place_codes("") == frozenset()


def test_person_identity_record_keeps_a_year_a_year(register, communes):
    person = register(
        given_name_ar="خديجة", family_name_latin="Bennani", birth_year=1975, cnie_number="C100",
        birth_place=communes[FES], registry_id="REG-1",
    )  # fmt: skip
    record = person_identity_record(person)
    assert record.birth_date == PartialDate(1975)
    assert not record.birth_date.is_exact
    assert (record.person_id, record.birth_place, record.cnie) == ("REG-1", FES, "C100")


# -- blocking uses the index ------------------------------------------------------------------


def test_a_check_is_one_query_through_the_key_index(register):
    register(given_name_latin="Said", family_name_latin="Alaoui", birth_year=1988)
    applicant = IdentityRecord(
        given_name_lat="Said", family_name_lat="Alaoui", birth_date=PartialDate(1988)
    )
    with CaptureQueriesContext(connection) as queries:
        result = registry_check(applicant)
    assert result.candidates
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert "people_personmatchkey" in sql and '"key" IN' in sql and "people_person" in sql


def test_the_candidate_query_is_answered_by_indexes(register):
    for year in range(1950, 1960):
        register(given_name_latin="Said", family_name_latin="Alaoui", birth_year=year)
    from amn.people.matching.check import candidate_query

    sql, params = candidate_query({"1955|L|=SD", "1955|SD|=L"}).query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "people_matchkey_key_idx" in plan
            # Each table is searched through an index, never scanned.
            assert "SCAN people_person" not in plan
            assert "SCAN people_personmatchkey" not in plan
        else:
            # Tables this small would be scanned by choice; forbid it to show the indexes
            # serve the query.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "people_matchkey_key_idx" in plan
            assert "Seq Scan" not in plan
