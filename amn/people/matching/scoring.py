"""Field-level comparison of an applicant with a registry person, and the Fellegi–Sunter
score that combines the comparisons.

Each field's comparison falls in one level (exact, close, partial, disagree, missing —
`FieldComparison.agreement`). Its weight is log2(m / u), where m is the probability of that
level when the two records are the same person and u its probability when they are not
(Fellegi & Sunter, "A theory for record linkage", JASA 64, 1969). A missing value weighs 0.
The total weight W plus the prior log-odds gives the match probability
1 / (1 + 2^-(W + PRIOR_LOG2_ODDS)).

m and u are not textbook values: the non-matches that matter are those that blocking
already retrieved (the applicant shares a name skeleton and a birth year with them), so u
is measured among such candidate pairs. The figures below were estimated on labelled
candidate pairs of the training split of bench/matching.py (`--calibrate`), rounded, then
checked on the held-out split; docs/matching.md gives the counts they come from.
"""

import functools
import math
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler, Levenshtein

from amn.people.identity import FieldComparison, IdentityRecord, PartialDate
from amn.people.matching.arabic import arabic_name_tokens, has_arabic
from amn.people.matching.crossscript import (
    first_word_skeletons,
    latin_skeletons,
    name_skeletons,
)
from amn.people.matching.latin import latin_fold_word, latin_name_tokens

EXACT, CLOSE, PARTIAL, DISAGREE, MISSING = "exact", "close", "partial", "disagree", "missing"

# (m, u) per field and level; the weight is log2(m / u). See the module docstring and
# docs/matching.md. m of a name level is measured on the benchmark (it follows the spelling
# variants and typos the benchmark assumes); u of a name level is measured among blocked
# candidates (they share consonant skeletons, so agreement there says little and
# disagreement much).
M_U: dict[str, dict[str, tuple[float, float]]] = {
    "given_name": {
        EXACT: (0.62, 0.27),
        CLOSE: (0.35, 0.49),
        PARTIAL: (0.02, 0.15),
        DISAGREE: (0.01, 0.09),
    },
    "family_name": {
        EXACT: (0.69, 0.23),
        CLOSE: (0.29, 0.35),
        PARTIAL: (0.015, 0.24),
        DISAGREE: (0.005, 0.18),
    },
    # u of the same day: 1/365 among candidates born the same year; the other levels as
    # measured (a year-only side is the rule before 1970).
    "birth_date": {
        EXACT: (0.98, 1 / 365),
        CLOSE: (0.95, 0.95),
        PARTIAL: (0.012, 0.05),
        DISAGREE: (0.008, 0.95),
    },
    # u of the same commune: the chance that two people are born in the same commune,
    # the sum of squared population shares of the communes (RGPH 2024) ≈ 0.011, rounded up.
    "birth_place": {
        EXACT: (0.96, 0.015),
        CLOSE: (0.03, 0.05),
        DISAGREE: (0.01, 0.935),
    },
    # u of the same parent's name is set by the most common names, not measured: one
    # Moroccan man in several is named Mohamed, so two unrelated people of one cohort often
    # share a father's name (5 %); mothers' names are a little more varied (3 %). The
    # benchmark's own u (≈ 0.1 %) would overstate the evidence.
    "father_given_name": {
        EXACT: (0.55, 0.03),
        CLOSE: (0.42, 0.04),
        PARTIAL: (0.01, 0.04),
        DISAGREE: (0.02, 0.91),
    },
    "mother_given_name": {
        EXACT: (0.55, 0.02),
        CLOSE: (0.42, 0.03),
        PARTIAL: (0.01, 0.04),
        DISAGREE: (0.02, 0.93),
    },
    # A CNIE number is one person's; a different number on both sides is a strong sign of
    # another person, though not absolute (typing errors in old records: 1 %).
    "cnie": {
        EXACT: (0.99, 0.000_001),
        DISAGREE: (0.01, 0.999_999),
    },
    # Candidates share a given name, hence mostly their sex: agreement says little.
    "sex": {
        EXACT: (0.99, 0.85),
        DISAGREE: (0.01, 0.15),
    },
}
# Given names so common that two unrelated people often share them, with the share of the
# population bearing them (rounded general knowledge, not measured: Mohamed and its
# variants about one man in ten; the others a few percent). An agreement on a parent's name
# among these weighs log2(m / share) instead of log2(m / u) (Fellegi–Sunter's
# frequency-based u).
COMMON_GIVEN_NAMES = {
    "Mohamed": 0.10,
    "Ahmed": 0.03,
    "Abdellah": 0.03,
    "Hassan": 0.03,
    "Ali": 0.03,
    "Brahim": 0.03,
    "Mustapha": 0.02,
    "Abdelkader": 0.02,
    "Omar": 0.02,
    "Driss": 0.02,
    "Said": 0.02,
    "Mbarek": 0.02,
    "Abderrahmane": 0.02,
    "Youssef": 0.02,
    "Rachid": 0.02,
    "Fatima": 0.06,
    "Khadija": 0.03,
    "Aicha": 0.03,
    "Zahra": 0.03,
    "Malika": 0.02,
    "Rachida": 0.02,
    "Naima": 0.02,
    "Saida": 0.02,
    "Zineb": 0.02,
    "Meryem": 0.02,
}


@functools.cache
def _common_skeletons() -> dict[str, float]:
    shares: dict[str, float] = {}
    for name, share in COMMON_GIVEN_NAMES.items():
        for skeleton in latin_skeletons(name)[:1]:
            shares[skeleton] = max(share, shares.get(skeleton, 0.0))
    return shares


def name_share(forms: "NameForms") -> float:
    """The population share of a common given name (COMMON_GIVEN_NAMES), 0 otherwise."""
    shares = _common_skeletons()
    return max((shares.get(s, 0.0) for s in forms.skeletons), default=0.0)


# Prior log-odds that a retrieved candidate is the applicant: about one applicant in ten has
# a registry entry, and a check retrieves one or two candidates: odds ≈ 1 : 16.
PRIOR_LOG2_ODDS = -4.0
# The two names read in the other order cost this much (bits) beyond their own weights.
SWAP_PENALTY = 1.0


def weight(field: str, level: str, *, share: float = 0.0) -> float:
    """log2(m / u) of `level` for `field`; 0 for a missing value. `share`, the population
    share of the agreeing value, replaces u when larger (frequency-based u)."""
    if level == MISSING:
        return 0.0
    if share:
        m, u = M_U[field][level]
        return math.log2(m / max(u, share))
    return _WEIGHTS[field, level]


_WEIGHTS = {
    (field, level): math.log2(m / u)
    for field, levels in M_U.items()
    for level, (m, u) in levels.items()
}


def probability(total_weight: float) -> float:
    """The match probability of a total weight (bits), with the prior odds."""
    return 1.0 / (1.0 + 2.0 ** -(total_weight + PRIOR_LOG2_ODDS))


# -- names ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class NameForms:
    """One name field in every form the comparison uses. Compared and hashed by identity:
    name_forms() gives the same object for the same spelling, and compare_names() caches
    its answers by that object."""

    arabic: str  # comparison form, words joined without spaces ("" when absent)
    latin: str
    latin_fold: str
    skeletons: tuple[str, ...]
    first_words: tuple[str, ...]  # skeletons of the first word of a name of several words
    tokens: frozenset[str]  # Arabic and Latin comparison words

    @property
    def present(self) -> bool:
        return bool(self.arabic or self.latin)


@functools.lru_cache(maxsize=200_000)
def name_forms(arabic: str, latin: str) -> NameForms:
    """The forms of one name field given in Arabic and/or Latin script (cached: registries
    repeat names). A value in the wrong field's script is read in its own script."""
    if latin and has_arabic(latin):
        arabic, latin = f"{arabic} {latin}".strip(), ""
    arabic_words = arabic_name_tokens(arabic)
    latin_words = latin_name_tokens(latin)
    return NameForms(
        arabic="".join(arabic_words),
        latin="".join(latin_words),
        latin_fold="".join(latin_fold_word(w) for w in latin_words),
        # A name of vowels only ("Aya", "آية") has the empty skeleton "0".
        skeletons=tuple(name_skeletons(arabic, latin)) or (("0",) if arabic or latin else ()),
        first_words=tuple(first_word_skeletons(arabic, latin)),
        tokens=frozenset(arabic_words) | frozenset(latin_words),
    )


def either_script_forms(text: str) -> NameForms:
    """The forms of a field that may be written in either script (a parent's given name)."""
    text = text or ""
    return name_forms(text, "") if has_arabic(text) else name_forms("", text)


def _similarity(a: str, b: str) -> float:
    return Levenshtein.normalized_similarity(a, b) if a and b else 0.0


@functools.lru_cache(maxsize=200_000)
def compare_names(a: NameForms, b: NameForms) -> tuple[str, str]:
    """Compare two name fields.

    Returns:
        (level, detail): level exact (same spelling after normalisation in a common
        script), close (same consonant skeleton across scripts or spelling variants, or the
        same folded Latin spelling), partial (one typo apart, or one name contains the other's
        words), disagree, or missing (one side empty); detail says which test decided.
    """
    if not (a.present and b.present):
        return MISSING, "not given on both sides"
    if (a.arabic and a.arabic == b.arabic) or (a.latin and a.latin == b.latin):
        return EXACT, "same spelling"
    if a.latin_fold and a.latin_fold == b.latin_fold:
        return CLOSE, "spelling variant"
    if set(a.skeletons) & set(b.skeletons):
        cross = bool(a.arabic and b.latin and not b.arabic) or bool(
            a.latin and b.arabic and not a.arabic
        )
        return CLOSE, "same sound across scripts" if cross else "same consonants"
    best = max(
        (
            Levenshtein.distance(x, y) <= 1 and min(len(x), len(y)) >= 2
            for x in a.skeletons
            for y in b.skeletons
        ),
        default=False,
    )
    if best:
        return PARTIAL, "one letter apart"
    if (a.arabic and b.arabic and _similarity(a.arabic, b.arabic) >= 0.8) or (
        a.latin_fold and b.latin_fold and JaroWinkler.similarity(a.latin_fold, b.latin_fold) >= 0.9
    ):
        return PARTIAL, "one letter apart"
    if len(a.tokens) != len(b.tokens) and (a.tokens <= b.tokens or b.tokens <= a.tokens):
        return PARTIAL, "one name contains the other"
    if set(a.first_words) & set(b.skeletons) or set(b.first_words) & set(a.skeletons):
        return PARTIAL, "one name contains the other"
    return DISAGREE, "different names"


# -- other fields -----------------------------------------------------------------------------


def compare_birth_dates(a: PartialDate | None, b: PartialDate | None) -> tuple[str, str]:
    """Compare two birth dates at the precision both sides know.

    Returns:
        (level, detail): exact (same day), close (same year, one side knows only the
        year), partial (same year and month, another day; or day and month swapped),
        disagree (same year, another month; or another year), missing.
    """
    if a is None or b is None:
        return MISSING, "not given on both sides"
    if a.year != b.year:
        return DISAGREE, "different years"
    if not (a.is_exact and b.is_exact):
        return CLOSE, "same year (one side knows only the year)"
    if (a.month, a.day) == (b.month, b.day):
        return EXACT, "same day"
    if a.month == b.month:
        return PARTIAL, "same year and month, another day"
    if (a.month, a.day) == (b.day, b.month):
        return PARTIAL, "day and month swapped"
    return DISAGREE, "same year, another day"


def level_of(comparison: FieldComparison) -> str:
    """The level whose (m, u) gave `comparison` its weight (its agreement)."""
    return comparison.agreement


def province_of(code: str) -> str:
    """The province code ("01.511") of a commune code ("01.511.01.09")."""
    return code[:6]


def compare_birth_places(applicant_codes: frozenset[str], person_code: str) -> tuple[str, str]:
    """Compare the applicant's birth place (the commune codes its text may name) with the
    person's commune code.

    Returns:
        (level, detail): exact (same commune), close (same province), disagree, missing.
    """
    if not applicant_codes or not person_code:
        return MISSING, "not given on both sides"
    if person_code in applicant_codes:
        return EXACT, "same commune"
    if province_of(person_code) in {province_of(c) for c in applicant_codes}:
        return CLOSE, "same province, another commune"
    return DISAGREE, "different provinces"


# -- a whole candidate ------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """A record prepared for comparison (its normalised forms computed once)."""

    given: NameForms
    family: NameForms
    father: NameForms
    mother: NameForms
    birth_date: PartialDate | None
    place_codes: frozenset[str]
    cnie: str
    sex: str


def profile_of_row(row: dict) -> Profile:
    """The Profile of a registry row (amn.people.matching.check.candidate_rows)."""
    if row["birth_date"]:
        day = row["birth_date"]
        born = PartialDate(day.year, day.month, day.day)
    elif row["birth_year"]:
        born = PartialDate(row["birth_year"])
    else:
        born = None
    return Profile(
        given=name_forms(row["given_name_ar"] or "", row["given_name_latin"] or ""),
        family=name_forms(row["family_name_ar"] or "", row["family_name_latin"] or ""),
        father=either_script_forms(row["father_given_name"]),
        mother=either_script_forms(row["mother_given_name"]),
        birth_date=born,
        place_codes=frozenset({row["place_code"]}) if row["place_code"] else frozenset(),
        cnie=row["cnie_number"] or "",
        sex=row["sex"] or "",
    )


def profile_of(record: IdentityRecord, place_codes: frozenset[str]) -> Profile:
    """The Profile of `record`, with its birth place already resolved to commune codes."""
    return Profile(
        given=name_forms(record.given_name_ar or "", record.given_name_lat or ""),
        family=name_forms(record.family_name_ar or "", record.family_name_lat or ""),
        father=either_script_forms(record.father_given_name),
        mother=either_script_forms(record.mother_given_name),
        birth_date=record.birth_date,
        place_codes=place_codes,
        cnie=record.cnie or "",
        sex=record.sex or "",
    )


# One field's comparison before it becomes a FieldComparison: (field, level, weight, detail).
Comparison = tuple[str, str, float, str]


def _name_pair(applicant: Profile, person: Profile, swapped: bool) -> list[Comparison]:
    given, family = (person.family, person.given) if swapped else (person.given, person.family)
    out = []
    for field, mine, theirs in (
        ("given_name", applicant.given, given),
        ("family_name", applicant.family, family),
    ):
        level, detail = compare_names(mine, theirs)
        if swapped:
            detail += " (given and family names swapped)"
        out.append((field, level, weight(field, level), detail))
    return out


def compare_fields(applicant: Profile, person: Profile) -> tuple[float, list[Comparison]]:
    """compare() without building FieldComparison objects (the check builds them for the
    candidates it returns only)."""
    names = _name_pair(applicant, person, swapped=False)
    straight_total = names[0][2] + names[1][2]
    # The other order is tried only when the names do not already agree.
    if not (names[0][1] in _AGREE and names[1][1] in _AGREE):
        swapped = _name_pair(applicant, person, swapped=True)
        if swapped[0][2] + swapped[1][2] - SWAP_PENALTY > straight_total:
            names = [(f, level, w - SWAP_PENALTY / 2, d) for f, level, w, d in swapped]
    fields = names
    level, detail = compare_birth_dates(applicant.birth_date, person.birth_date)
    fields.append(("birth_date", level, weight("birth_date", level), detail))
    level, detail = compare_birth_places(applicant.place_codes, next(iter(person.place_codes), ""))
    fields.append(("birth_place", level, weight("birth_place", level), detail))
    for field, mine, theirs in (
        ("father_given_name", applicant.father, person.father),
        ("mother_given_name", applicant.mother, person.mother),
    ):
        level, detail = compare_names(mine, theirs)
        share = name_share(mine) if level in (EXACT, CLOSE) else 0.0
        if share and share > M_U[field][level][1]:
            detail += " (a common name)"
        fields.append((field, level, weight(field, level, share=share), detail))
    if applicant.cnie and person.cnie:
        level = EXACT if applicant.cnie == person.cnie else DISAGREE
        detail = "same CNIE number" if level == EXACT else "different CNIE numbers"
    else:
        level, detail = MISSING, "not given on both sides"
    fields.append(("cnie", level, weight("cnie", level), detail))
    if applicant.sex and person.sex:
        level = EXACT if applicant.sex == person.sex else DISAGREE
        detail = "same sex" if level == EXACT else "different sex"
    else:
        level, detail = MISSING, "not given on both sides"
    fields.append(("sex", level, weight("sex", level), detail))
    return sum(f[2] for f in fields), fields


_AGREE = frozenset({EXACT, CLOSE, MISSING})


def compare(applicant: Profile, person: Profile) -> tuple[float, list[FieldComparison]]:
    """Compare an applicant with a registry person field by field.

    Returns:
        (total weight in bits, the FieldComparison list in a fixed field order: given name,
        family name, birth date, birth place, father's and mother's given names, CNIE, sex).
    """
    total, fields = compare_fields(applicant, person)
    return total, [FieldComparison(*f) for f in fields]
