"""Blocking keys: what a registry person stores and what an applicant looks up."""

from amn.people.identity import IdentityRecord, PartialDate
from amn.people.matching import applicant_match_keys, person_match_keys

REGISTRY = IdentityRecord(
    given_name_ar="يوسف",
    family_name_ar="الشرقاوي",
    given_name_lat="YOUSSEF",
    family_name_lat="CHERKAOUI",
    birth_date=PartialDate(1984, 6, 2),
    cnie="BE123456",
)


def shared(applicant: IdentityRecord, registry: IdentityRecord = REGISTRY) -> set[str]:
    return applicant_match_keys(applicant) & person_match_keys(registry)


def test_keys_fit_the_column_and_hold_the_year():
    keys = person_match_keys(REGISTRY)
    assert keys
    assert all(len(key) <= 64 for key in keys)
    assert "C|BE123456" in keys
    assert any(key.startswith("1984|") for key in keys)


def test_a_long_name_gives_keys_of_at_most_64_characters():
    record = IdentityRecord(
        given_name_lat="Abdelkader Mohamed Lamine Seifeddine Noureddine Abderrahmane",
        family_name_lat="Benabdeljalil Elkhattabi Ouazzani Touhami Chraibi Bennani Smires",
        birth_date=PartialDate(1950),
    )
    assert all(len(key) <= 64 for key in person_match_keys(record))


def test_latin_applicant_shares_a_key_with_an_arabic_only_entry():
    arabic_only = IdentityRecord(
        given_name_ar="يوسف", family_name_ar="الشرقاوي", birth_date=PartialDate(1984, 6, 2)
    )
    applicant = IdentityRecord(
        given_name_lat="Youcef", family_name_lat="Echcherkaoui", birth_date=PartialDate(1984)
    )
    assert shared(applicant, arabic_only)


def test_arabic_applicant_shares_a_key_with_a_latin_only_entry():
    latin_only = IdentityRecord(
        given_name_lat="Youssef", family_name_lat="Cherkaoui", birth_date=PartialDate(1984)
    )
    applicant = IdentityRecord(
        given_name_ar="يُوسُف", family_name_ar="الشرقاوى", birth_date=PartialDate(1984, 6, 2)
    )
    assert shared(applicant, latin_only)


def test_swapped_names_share_a_key():
    applicant = IdentityRecord(
        given_name_lat="Cherkaoui", family_name_lat="Youssef", birth_date=PartialDate(1984)
    )
    assert shared(applicant)


def test_one_typo_in_either_name_keeps_a_shared_key():
    for given, family in (
        ("Yousref", "Cherkaoui"),  # a letter added
        ("Youssef", "Cherkoui"),  # a vowel dropped
        ("Youssef", "Cherkaqui"),  # a letter changed
        ("Yossuef", "Cherkaoui"),  # two letters swapped
        ("Youssef", "Chekaoui"),  # a consonant dropped
    ):
        applicant = IdentityRecord(
            given_name_lat=given, family_name_lat=family, birth_date=PartialDate(1984)
        )
        assert shared(applicant), (given, family)


def test_another_year_shares_no_name_key():
    applicant = IdentityRecord(
        given_name_lat="Youssef", family_name_lat="Cherkaoui", birth_date=PartialDate(1985)
    )
    assert not shared(applicant)


def test_registry_entry_without_a_year_is_reached_from_any_year():
    no_year = IdentityRecord(given_name_lat="Youssef", family_name_lat="Cherkaoui")
    applicant = IdentityRecord(
        given_name_lat="Youssef", family_name_lat="Cherkaoui", birth_date=PartialDate(1990)
    )
    assert shared(applicant, no_year)


def test_applicant_without_a_birth_date_looks_up_the_name_pair():
    applicant = IdentityRecord(given_name_lat="Youssef", family_name_lat="Cherkaoui")
    assert {key for key in shared(applicant) if key.startswith("U|")}


def test_cnie_alone_is_a_key():
    applicant = IdentityRecord(cnie="BE123456")
    assert shared(applicant) == {"C|BE123456"}


def test_a_record_without_names_or_cnie_has_no_keys():
    assert person_match_keys(IdentityRecord(birth_date=PartialDate(1984))) == set()
