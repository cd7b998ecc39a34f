"""The registry check: candidates for an applicant retrieved through the blocking keys
(indexed lookups in PersonMatchKey, never a scan of the registry), scored field by field
(amn.people.matching.scoring) and turned into an outcome."""

import re
from collections.abc import Callable

from django.db.models import F, Q

from amn.core.text_search import search_fold
from amn.people.identity import (
    Candidate,
    CheckOutcome,
    CheckResult,
    FieldComparison,
    IdentityRecord,
    PartialDate,
)
from amn.people.matching.keys import applicant_match_keys
from amn.people.matching.scoring import (
    Profile,
    compare_fields,
    probability,
    profile_of,
    profile_of_row,
)

# Outcome thresholds on the best candidate's match probability, calibrated on
# bench/matching.py (docs/matching.md): at or above RECORD_FOUND_AT the check says
# RECORD_FOUND; at or above POSSIBLE_MATCH_AT, POSSIBLE_MATCH (human review); else NO_RECORD.
RECORD_FOUND_AT = 0.99
POSSIBLE_MATCH_AT = 0.01
# Candidates scored at most per check (the blocks are small; this bounds a pathological
# key such as a one-letter name with no birth year).
MAX_CANDIDATES = 2_000

_PERSON_FIELDS = (
    "id",
    "registry_id",
    "given_name_ar",
    "family_name_ar",
    "given_name_latin",
    "family_name_latin",
    "sex",
    "birth_date",
    "birth_year",
    "cnie_number",
    "father_given_name",
    "mother_given_name",
)
_COMMUNE_CODE = re.compile(r"\d{2}\.\d{3}\.\d{2}\.\d{1,2}")


def birth_place_codes(text: str) -> frozenset[str]:
    """The commune codes a birth place names: the code itself ("04.281.05.11"), or every
    commune whose French or Arabic name folds to the same text ("Fès", "فاس")."""
    from amn.geo.models import Commune

    text = (text or "").strip()
    if _COMMUNE_CODE.fullmatch(text):
        return frozenset({text})
    folded = search_fold(text)
    if not folded:
        return frozenset()
    # search_name is "<folded French name> <folded Arabic name>" (amn.geo.services): it
    # narrows the 1,503 rows; the names themselves decide ("Sidi" names no commune).
    named = Commune.objects.filter(
        Q(search_name__startswith=f"{folded} ") | Q(search_name__endswith=f" {folded}")
    ).values_list("code", "name_fr", "name_ar")
    return frozenset(code for code, fr, ar in named if folded in (search_fold(fr), search_fold(ar)))


def record_row(record: IdentityRecord) -> dict:
    """The row `candidate_rows` would give for a registry person with this identity
    (the inverse of _row_record; for registries held in memory)."""
    born = record.birth_date
    return {
        "id": record.person_id,
        "registry_id": record.person_id,
        "given_name_ar": record.given_name_ar,
        "family_name_ar": record.family_name_ar,
        "given_name_latin": record.given_name_lat,
        "family_name_latin": record.family_name_lat,
        "sex": record.sex,
        "birth_date": born.as_date() if born and born.is_exact else None,
        "birth_year": born.year if born and not born.is_exact else None,
        "cnie_number": record.cnie or None,
        "father_given_name": record.father_given_name,
        "mother_given_name": record.mother_given_name,
        "place_code": record.birth_place or None,
    }


def _row_record(row: dict) -> IdentityRecord:
    if row["birth_date"]:
        day = row["birth_date"]
        born = PartialDate(day.year, day.month, day.day)
    elif row["birth_year"]:
        born = PartialDate(row["birth_year"])
    else:
        born = None
    return IdentityRecord(
        person_id=row["registry_id"] or str(row["id"]),
        cnie=row["cnie_number"] or "",
        given_name_ar=row["given_name_ar"],
        family_name_ar=row["family_name_ar"],
        given_name_lat=row["given_name_latin"],
        family_name_lat=row["family_name_latin"],
        sex=row["sex"],
        birth_date=born,
        birth_place=row["place_code"] or "",
        father_given_name=row["father_given_name"],
        mother_given_name=row["mother_given_name"],
    )


def person_identity_record(person) -> IdentityRecord:
    """The IdentityRecord of a registry Person (amn.people.models.Person).

    `person_id` is the registry identifier when the person was imported, else the UUID;
    `birth_place` is the commune code (reads the commune when not already loaded).
    """
    row = {name: getattr(person, name) for name in _PERSON_FIELDS}
    row["place_code"] = person.birth_place.code if person.birth_place_id else ""
    return _row_record(row)


def _key_lookup(keys: set[str]):
    """The ids of the persons holding one of `keys`, as a subquery (an index-only lookup of
    people_matchkey_key_idx)."""
    from amn.people.models import PersonMatchKey

    return PersonMatchKey.objects.filter(key__in=sorted(keys)).order_by().values("person_id")


def candidate_query(keys: set[str]):
    """The query of candidate_rows: persons whose id is among those an index-only lookup
    of the keys gives, fetched by primary key (at most MAX_CANDIDATES)."""
    from amn.people.models import Person

    return (
        Person.objects.filter(id__in=_key_lookup(keys))
        .order_by()
        .values(*_PERSON_FIELDS, place_code=F("birth_place__code"))[:MAX_CANDIDATES]
    )


def candidate_rows(keys: set[str]) -> list[dict]:
    """The registry persons sharing one of `keys` (at most MAX_CANDIDATES), in one query."""
    return list(candidate_query(keys)) if keys else []


def outcome_of(score: float) -> CheckOutcome:
    """The outcome the best candidate's probability gives (thresholds above)."""
    if score >= RECORD_FOUND_AT:
        return CheckOutcome.RECORD_FOUND
    if score >= POSSIBLE_MATCH_AT:
        return CheckOutcome.POSSIBLE_MATCH
    return CheckOutcome.NO_RECORD


def score_candidates(
    applicant: Profile, rows: list[dict], *, limit: int | None = None
) -> list[Candidate]:
    """The rows scored against the applicant, best first (ties by person id), at most
    `limit` of them (None: all)."""
    scored = []
    for row in rows:
        total, fields = compare_fields(applicant, profile_of_row(row))
        scored.append((-total, row["registry_id"] or str(row["id"]), fields))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [
        Candidate(person_id, probability(-negative), [FieldComparison(*f) for f in fields])
        for negative, person_id, fields in scored[:limit]
    ]


def check_with(
    applicant: IdentityRecord,
    *,
    rows_for_keys: Callable[[set[str]], list[dict]] = candidate_rows,
    place_codes: Callable[[str], frozenset[str]] = birth_place_codes,
    limit: int | None = 5,
) -> CheckResult:
    """registry_check with its two reads passed in (the benchmark runs it on an in-memory
    registry); `limit` None returns every candidate."""
    profile = profile_of(applicant, place_codes(applicant.birth_place))
    rows = rows_for_keys(applicant_match_keys(applicant))
    candidates = score_candidates(profile, rows, limit=limit)
    best = candidates[0].score if candidates else 0.0
    return CheckResult(outcome_of(best), best, candidates)


def registry_check(applicant: IdentityRecord, *, limit: int = 5) -> CheckResult:
    """Check an applicant against the records registry.

    Args:
        applicant: the applicant's identity (names in one or both scripts, birth date exact
            or year-only, birth place as a commune code or name, parents' given names, CNIE).
        limit: candidates returned at most (the best ones).
    Returns:
        CheckResult(outcome, score of the best candidate or 0, candidates best first, each
        with its score (match probability) and FieldComparison list). Outcome NO_RECORD
        below POSSIBLE_MATCH_AT, POSSIBLE_MATCH below RECORD_FOUND_AT, else RECORD_FOUND.
        An applicant without any name or CNIE number gets NO_RECORD with no candidates.
    Raises:
        django.db.DatabaseError: the registry cannot be read.
    """
    return check_with(applicant, limit=limit)
