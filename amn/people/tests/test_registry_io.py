"""amn.people.registry_io: the exchange record's parser, field by field, and its output."""

import datetime

import pytest
from django.utils import timezone

from amn.people.identity import (
    Candidate,
    CheckOutcome,
    CheckResult,
    FieldComparison,
    IdentityRecord,
    PartialDate,
)
from amn.people.registry_io import (
    PERSON_FIELDS,
    FieldProblem,
    IdentityParser,
    check_result_to_dict,
    identity_parse,
    identity_record_to_dict,
    json_line_parse,
)

pytestmark = pytest.mark.django_db

VALID = {"family_name_lat": "El Idrissi"}


def _errors(data, **options) -> dict[str, str]:
    parsed = identity_parse(data, **options)
    assert parsed.record is None or not parsed.errors
    return {e.field: e.reason for e in parsed.errors}


def _record(data, **options) -> IdentityRecord:
    parsed = identity_parse(data, **options)
    assert parsed.errors == []
    return parsed.record


def test_a_full_record_is_parsed(registry_world):
    record = _record(
        {
            "person_id": "R-1",
            "cnie": "be 123456",
            "given_name_ar": "عمر",
            "family_name_ar": "الإدريسي",
            "given_name_lat": "Omar",
            "family_name_lat": "El Idrissi",
            "sex": "m",
            "birth_date": "1980-05-17",
            "birth_place": "Fès",
            "father_given_name": "أحمد",
            "mother_given_name": "Fatima",
        }
    )

    assert record == IdentityRecord(
        person_id="R-1",
        cnie="BE123456",
        given_name_ar="عمر",
        family_name_ar="الإدريسي",
        given_name_lat="Omar",
        family_name_lat="El Idrissi",
        sex="M",
        birth_date=PartialDate(1980, 5, 17),
        birth_place="03.231.01.0",
        father_given_name="أحمد",
        mother_given_name="Fatima",
    )


# ---------------------------------------------------------------- CNIE


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("BE123456", "BE123456"),
        ("be123456", "BE123456"),
        (" B E 123 456 ", "BE123456"),
        ("BE١٢٣٤٥٦", "BE123456"),
        ("j۲۰۰۰۰۱", "J200001"),
        ("C\u00a0100001", "C100001"),
        ("", ""),
        (None, ""),
    ],
)
def test_cnie_is_normalised(registry_world, given, stored):
    assert _record({**VALID, "cnie": given}).cnie == stored


@pytest.mark.parametrize("bad", ["123456", "ABC123", "BE", "BE-123456", "BE12345678901", 123456])
def test_a_malformed_cnie_is_refused(registry_world, bad):
    errors = _errors({**VALID, "cnie": bad})

    assert set(errors) == {"cnie"}


def test_errors_never_echo_the_value(registry_world):
    errors = _errors({**VALID, "cnie": "QQQ999", "given_name_lat": "Zorglub1"})

    assert all("QQQ999" not in r and "Zorglub" not in r for r in errors.values())


# ---------------------------------------------------------------- names


def test_one_script_of_the_family_name_is_enough(registry_world):
    assert _record({"family_name_ar": "الإدريسي"}).family_name_lat == ""
    assert _record({"family_name_lat": "Idrissi"}).family_name_ar == ""


def test_a_family_name_is_required(registry_world):
    errors = _errors(
        {"given_name_lat": "Omar", "family_name_ar": " \u200f ", "family_name_lat": ""}
    )

    assert set(errors) == {"family_name_ar"}
    assert "family name" in errors["family_name_ar"]


def test_names_longer_than_100_characters_are_refused(registry_world):
    assert _record({"family_name_lat": "A" * 100}).family_name_lat == "A" * 100
    assert set(_errors({"family_name_lat": "A" * 101})) == {"family_name_lat"}
    assert set(_errors({**VALID, "father_given_name": "ب" * 101})) == {"father_given_name"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("family_name_ar", "Idrissi"),  # Latin letters in the Arabic field
        ("given_name_ar", "عمرo"),
        ("family_name_lat", "الإدريسي"),  # Arabic letters in the Latin field
        ("given_name_lat", "Omar2"),
        ("given_name_lat", "Omar@"),
        ("given_name_ar", "عمر٣"),
        ("mother_given_name", "Fatima!"),
        ("given_name_lat", "--"),
        ("given_name_lat", 12),
    ],
)
def test_names_in_the_wrong_script_or_with_signs_are_refused(registry_world, field, value):
    assert set(_errors({**VALID, field: value})) == {field}


@pytest.mark.parametrize(
    ("value", "script", "reason"),
    [
        ("<script>alert(1)</script>", "lat", "letters, spaces, hyphens and apostrophes"),
        ("Omar(2)", "lat", "letters, spaces, hyphens and apostrophes"),
        ("Omar2", "lat", "no digits"),
        ("عمر٣", "ar", "no digits"),
    ],
)
def test_a_refused_name_says_what_is_wrong(value, script, reason):
    from django.utils import translation

    from amn.people.registry_io import name_parse

    with translation.override("en"), pytest.raises(FieldProblem, match=reason):
        name_parse(value, script=script)


def test_names_are_cleaned_and_parents_may_be_in_either_script(registry_world):
    record = _record(
        {
            "family_name_lat": "  Aït-Ben  Haddou\u200f ",
            "given_name_lat": "M'hamed",
            "family_name_ar": "آيت بن حدو",
            "father_given_name": "Abdelkader",
            "mother_given_name": "خديجة",
        }
    )

    assert record.family_name_lat == "Aït-Ben Haddou"
    assert (record.father_given_name, record.mother_given_name) == ("Abdelkader", "خديجة")


def test_arabic_presentation_forms_are_folded_to_letters(registry_world):
    """Text copied from a reshaped PDF: ﻋﻤﺮ is stored as عمر."""
    assert _record({**VALID, "given_name_ar": "\ufecb\ufee4\ufeae"}).given_name_ar == "عمر"


# ---------------------------------------------------------------- sex


@pytest.mark.parametrize(("given", "stored"), [("M", "M"), ("f", "F"), ("", ""), (None, "")])
def test_sex(registry_world, given, stored):
    assert _record({**VALID, "sex": given}).sex == stored


@pytest.mark.parametrize("bad", ["X", "male", "H", 1])
def test_other_sex_values_are_refused(registry_world, bad):
    assert set(_errors({**VALID, "sex": bad})) == {"sex"}


# ---------------------------------------------------------------- birth date


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        ("1958", PartialDate(1958)),
        (1958, PartialDate(1958)),
        ("١٩٥٨", PartialDate(1958)),
        ("1988-03-14", PartialDate(1988, 3, 14)),
        ("١٩٨٨-٠٣-١٤", PartialDate(1988, 3, 14)),
        ("2000-02-29", PartialDate(2000, 2, 29)),
        (None, None),
        ("", None),
    ],
)
def test_birth_date_exact_or_year_only(registry_world, given, parsed):
    assert _record({**VALID, "birth_date": given}).birth_date == parsed


def test_a_year_stays_a_year(registry_world):
    born = _record({**VALID, "birth_date": "1958"}).birth_date

    assert (born.month, born.day, born.is_exact, born.as_date()) == (None, None, False, None)
    assert str(born) == "1958"


@pytest.mark.parametrize(
    "bad",
    [
        "1999-02-29",  # not a leap year
        "1988-13-01",
        "1988-04-31",
        "14/03/1988",
        "1988-3-4",
        "88",
        "1988-03",
        "circa 1950",
        "1879",  # implausible
        "1870-01-01",
        True,
    ],
)
def test_impossible_or_malformed_birth_dates_are_refused(registry_world, bad):
    assert set(_errors({**VALID, "birth_date": bad})) == {"birth_date"}


def test_future_birth_dates_are_refused(registry_world):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)

    assert _record({**VALID, "birth_date": today.isoformat()}).birth_date.as_date() == today
    assert "future" in _errors({**VALID, "birth_date": tomorrow.isoformat()})["birth_date"]
    assert "future" in _errors({**VALID, "birth_date": str(today.year + 1)})["birth_date"]


def test_impossible_day_reason_says_so(registry_world):
    assert "does not exist" in _errors({**VALID, "birth_date": "1999-02-29"})["birth_date"]


# ---------------------------------------------------------------- birth place


@pytest.mark.parametrize(
    "given",
    ["03.231.01.0", "٠٣.٢٣١.٠١.٠", "Fès", "FES", "fes", "فاس", " Fès ", "Fès (03.231.01.0)"],
)
def test_birth_place_by_code_or_name(registry_world, given):
    assert _record({**VALID, "birth_place": given}).birth_place == "03.231.01.0"


def test_birth_place_with_hamza_and_article_folding(registry_world):
    assert _record({**VALID, "birth_place": "اولاد عيسى (05.255.05.07)"}).birth_place == (
        "05.255.05.07"
    )


def test_birth_place_resolution_gives_the_commune_id(registry_world):
    _world, communes = registry_world

    parsed = identity_parse({**VALID, "birth_place": "Oujda"})

    assert parsed.birth_place_id == communes["02.411.01.23"].pk


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("99.999.99.99", "code"),
        ("Atlantis", "name"),
        ("Oulad Aissa", "Several"),  # two communes share the name
        ("أولاد عيسى", "Several"),
    ],
)
def test_unknown_or_ambiguous_birth_places_are_refused(registry_world, given, says):
    errors = _errors({**VALID, "birth_place": given})

    assert set(errors) == {"birth_place"}
    assert says in errors["birth_place"]


def test_the_parser_asks_the_database_once_per_distinct_place(
    registry_world, django_assert_num_queries
):
    parser = IdentityParser()
    with django_assert_num_queries(2):
        assert parser.parse({**VALID, "birth_place": "Fès"}).ok
        assert not parser.parse({**VALID, "birth_place": "Oulad Aissa"}).ok

    with django_assert_num_queries(0):
        for _ in range(5):
            assert parser.parse({**VALID, "birth_place": "Fès"}).ok
            assert not parser.parse({**VALID, "birth_place": "Oulad Aissa"}).ok


# ---------------------------------------------------------------- person_id and keys


def test_person_id(registry_world):
    assert _record({**VALID, "person_id": "MA-2025/000123"}).person_id == "MA-2025/000123"
    assert _record({**VALID, "person_id": 42}).person_id == "42"
    assert set(_errors({**VALID, "person_id": "a b"})) == {"person_id"}
    assert set(_errors({**VALID, "person_id": "x" * 41})) == {"person_id"}


def test_person_id_is_required_for_the_import_only(registry_world):
    assert _record(VALID).person_id == ""
    assert set(_errors(VALID, require_person_id=True)) == {"person_id"}


def test_unknown_keys_are_refused(registry_world):
    errors = _errors({**VALID, "nickname": "x", "birthdate": "1980"})

    assert set(errors) == {"nickname", "birthdate"}


def test_convictions_are_an_unknown_key_outside_the_import(registry_world):
    assert set(_errors({**VALID, "convictions": []})) == {"convictions"}


def test_all_errors_of_an_object_are_reported(registry_world):
    errors = _errors(
        {"cnie": "1", "sex": "Q", "birth_date": "1999-02-30", "birth_place": "Atlantis"}
    )

    assert set(errors) == {"cnie", "sex", "birth_date", "birth_place", "family_name_ar"}


@pytest.mark.parametrize("data", [[], "text", 3, None])
def test_an_object_is_required(registry_world, data):
    assert set(_errors(data)) == {""}


def test_json_line_parse(registry_world):
    parser = IdentityParser()

    assert json_line_parse(parser, 3, "  \n") is None
    assert json_line_parse(parser, 1, '\ufeff{"family_name_lat": "Idrissi"}').ok
    assert json_line_parse(parser, 2, b'{"family_name_lat": "Idrissi"}').ok
    assert json_line_parse(parser, 2, b'{"family_name_lat": "Idr\xffssi"}').errors[0].field == ""
    assert "JSON" in json_line_parse(parser, 2, "{nope").errors[0].reason


# ---------------------------------------------------------------- convictions


def _conviction(**fields) -> dict:
    conviction = {
        "court": "المحكمة الابتدائية بفاس",
        "judgment_date": "2010-06-01",
        "iccs_code": "0401",
        "sentence": "ستة أشهر حبسا نافذا",
    }
    conviction.update(fields)
    return {k: v for k, v in conviction.items() if v is not None}


def _conviction_errors(*convictions, born="1980-05-17") -> dict[str, str]:
    return _errors(
        {**VALID, "birth_date": born, "convictions": list(convictions)}, convictions=True
    )


def test_convictions_are_parsed(registry_world):
    parsed = identity_parse(
        {**VALID, "convictions": [_conviction(cleared_on="2015-06-01"), _conviction()]},
        convictions=True,
    )

    assert parsed.ok
    first, second = parsed.convictions
    assert (first.iccs_code, first.judgment_date, first.cleared_on) == (
        "0401",
        datetime.date(2010, 6, 1),
        datetime.date(2015, 6, 1),
    )
    assert second.cleared_on is None


@pytest.mark.parametrize(
    ("conviction", "field"),
    [
        (_conviction(iccs_code="9999"), "convictions[0].iccs_code"),
        (_conviction(iccs_code=None), "convictions[0].iccs_code"),
        (_conviction(judgment_date="2010-02-30"), "convictions[0].judgment_date"),
        (_conviction(judgment_date=None), "convictions[0].judgment_date"),
        (_conviction(judgment_date="2999-01-01"), "convictions[0].judgment_date"),
        (_conviction(judgment_date="1979-01-01"), "convictions[0].judgment_date"),  # pre-birth
        (_conviction(cleared_on="2009-01-01"), "convictions[0].cleared_on"),
        (_conviction(cleared_on="2015"), "convictions[0].cleared_on"),
        (_conviction(court=""), "convictions[0].court"),
        (_conviction(court="x" * 201), "convictions[0].court"),
        (_conviction(sentence=None), "convictions[0].sentence"),
        (_conviction(appeal="yes"), "convictions[0].appeal"),
        ("not an object", "convictions[0]"),
    ],
)
def test_conviction_errors_name_the_field(registry_world, conviction, field):
    assert set(_conviction_errors(conviction)) == {field}


def test_a_conviction_list_must_be_a_list(registry_world):
    errors = _errors({**VALID, "convictions": {"court": "x"}}, convictions=True)

    assert set(errors) == {"convictions"}


def test_a_future_expiry_date_is_allowed(registry_world):
    later = timezone.localdate() + datetime.timedelta(days=400)

    assert _conviction_errors(_conviction(cleared_on=later.isoformat())) == {}


def test_judgment_in_the_birth_year_of_a_year_only_birth(registry_world):
    assert _conviction_errors(_conviction(judgment_date="1980-01-01"), born="1980") == {}
    assert set(_conviction_errors(_conviction(judgment_date="1979-12-31"), born="1980")) == {
        "convictions[0].judgment_date"
    }


# ---------------------------------------------------------------- output


def test_identity_record_to_dict_round_trips(registry_world):
    data = {
        "person_id": "R-9",
        "cnie": "BE1",
        "given_name_ar": "عمر",
        "family_name_ar": "الإدريسي",
        "given_name_lat": "Omar",
        "family_name_lat": "El Idrissi",
        "sex": "M",
        "birth_date": "1958",
        "birth_place": "03.231.01.0",
        "father_given_name": "أحمد",
        "mother_given_name": "Fatima",
    }

    out = identity_record_to_dict(_record(data))

    assert out == data
    assert tuple(out) == PERSON_FIELDS
    assert _record(out) == _record(data)


def test_check_result_to_dict_shape():
    result = CheckResult(
        outcome=CheckOutcome.POSSIBLE_MATCH,
        score=0.812345,
        candidates=[
            Candidate(
                person_id="R-1",
                score=0.812345,
                fields=[FieldComparison("birth_date", "exact", 6.64321, "1958 = 1958")],
            )
        ],
    )

    assert check_result_to_dict(result) == {
        "outcome": "POSSIBLE_MATCH",
        "score": 0.8123,
        "candidates": [
            {
                "person_id": "R-1",
                "score": 0.8123,
                "fields": [
                    {
                        "field": "birth_date",
                        "agreement": "exact",
                        "weight": 6.643,
                        "detail": "1958 = 1958",
                    }
                ],
            }
        ],
    }


def test_field_parse_serves_a_form_field(registry_world):
    parser = IdentityParser()

    assert parser.field_parse("cnie", "be ١٢٣") == "BE123"
    assert parser.field_parse("birth_place", "fes") == "03.231.01.0"
    assert parser.field_parse("birth_date", "1958") == PartialDate(1958)
    with pytest.raises(FieldProblem):
        parser.field_parse("birth_place", "Oulad Aissa")
    with pytest.raises(KeyError):
        parser.field_parse("nickname", "x")
