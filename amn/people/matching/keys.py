"""Blocking keys: the strings stored in PersonMatchKey for every registry person, and the
strings an applicant's check looks up (amn.people.matching.check). Two records can only be
compared when they share a key, so the keys are chosen for recall: a true match must share
at least one key despite spelling variants, another script, a typo, a year-only birth date
or given and family names swapped; and for small blocks: a key holds the birth year.

Per pair of name skeletons (given g, family f — see amn.people.matching.crossscript; every
reading of either script), with Y the birth year ("0" when unknown), one name is taken whole
and the other by forms that survive one typo (`_partial`):

    Y|<f>|<form of g>      Y|<g>|<form of f>

e.g. for "Youssef Cherkaoui" born 1984 (SF, CRK): 1984|CRK|=SF, 1984|SF|=CRK, 1984|SF|=RK,
1984|SF|=CK, 1984|SF|=CR; for "Mohamed Benkirane" (MHMD, BNKRN): 1984|BNKRN|=MHMD,
=HMD, =MMD, =MHD, =MHM, and 1984|MHMD|=BNK, =KRN, =BNRN. One typo (a letter changed, added
or dropped) in one of the two names leaves at least one key intact, and since both orders
are stored, an applicant who swapped the given and family names still shares them.

The forms a one- or two-consonant name leaves after a deletion (Youssef SF → =S, =F) would
join the persons of a whole year sharing the other name ("Mohamed" and any name starting
with S): they are keyed by the exact birth date instead (1984-06-02|CRK|=S), or, for a
registry person known by the year only, by "1984?". An applicant with an exact date looks
up both; one with a year only finds such one-typo variants only among year-only persons.

Besides: `U|<a>|<b>` (both skeletons, sorted, no year) for applicants without a birth date,
and `C|<cnie>` for the CNIE number.
"""

import functools
import itertools
import re

from amn.people.identity import IdentityRecord, PartialDate
from amn.people.matching.arabic import has_arabic
from amn.people.matching.crossscript import (
    first_word_skeletons,
    latin_skeletons,
    name_skeletons,
)

KEY_MAX = 64  # PersonMatchKey.key max_length
SKELETON_MAX = 40
# Beyond this many (given, family) reading pairs, the remaining ones are dropped: keys of the
# first readings (the Arabic one, then the most likely Latin ones) are kept.
MAX_PAIRS = 6
_RUNS = re.compile(r"(.)\1+")
EMPTY = "0"  # the skeleton of a name written only with vowels ("Aya", "آية")


@functools.lru_cache(maxsize=200_000)
def _skeletons(arabic: str, latin: str, stored: bool) -> tuple[str, ...]:
    arabic, latin = (arabic or "").strip(), (latin or "").strip()
    if stored and has_arabic(arabic) and latin:
        # A registry name in Arabic is found through its Arabic skeleton whatever the
        # applicant writes (the applicant's side reads its Latin every way): of the Latin
        # spelling, the most likely reading is enough.
        found = name_skeletons(arabic, "") + latin_skeletons(latin)[:1]
    else:
        found = name_skeletons(arabic, latin)
    # A name of several words is also found by its first word alone ("Fatima Zahra" /
    # "Fatima").
    found += first_word_skeletons(arabic, latin)
    if not found and (arabic or latin):
        return (EMPTY,)
    return tuple(dict.fromkeys(skeleton[:SKELETON_MAX] for skeleton in found if skeleton))


def record_skeletons(
    record: IdentityRecord, *, stored: bool = False
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The skeletons of the given name and of the family name of `record`, both scripts.

    Args:
        stored: for a registry person (fewer Latin readings, see _skeletons), not an
            applicant.
    Returns:
        (given, family): tuples of skeleton strings, most likely first; a tuple is empty
        when the record has no such name.
    """
    return (
        _skeletons(record.given_name_ar, record.given_name_lat, stored),
        _skeletons(record.family_name_ar, record.family_name_lat, stored),
    )


@functools.lru_cache(maxsize=100_000)
def _partial(skeleton: str) -> tuple[str, ...]:
    """Forms of one name's skeleton of which a copy with one typo shares at least one.

    Up to four classes: the skeleton and each copy with one class deleted (two strings one
    edit apart share one of these, as in SymSpell). From five classes: its first three, its
    last three, and its first two with its last two (one edit leaves one of the three
    intact, and a name one class shorter has them among its forms). A deletion that brings
    two equal classes together gives the collapsed form, as the skeleton of the typed name
    would ("Karker" KRKR, "Karer" KR).

    Returns:
        the forms, "=<form>" strings.
    """
    if len(skeleton) >= 5:
        forms = [skeleton[:3], skeleton[-3:], skeleton[:2] + skeleton[-2:]]
    else:
        deletions = (skeleton[:i] + skeleton[i + 1 :] for i in range(len(skeleton)))
        forms = [skeleton, *(_RUNS.sub(r"\1", deletion) for deletion in deletions)]
    return tuple(dict.fromkeys(f"={form}" for form in forms))


@functools.lru_cache(maxsize=100_000)
def _name_parts(
    given: tuple[str, ...], family: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The name parts of the keys ("<whole>|<form>"): strong ones, and weak ones — a form of
    one class or none beside a whole name of two classes or more ("MHMD|=S"), which would
    join the persons of a whole year named Mohamed with any name starting or ending with
    S. The rule looks at the two strings only, so that both sides class a part alike."""
    strong: set[str] = set()
    weak: set[str] = set()
    if given and family:
        for g, f in itertools.islice(itertools.product(given, family), MAX_PAIRS):
            for whole, other in ((f, g), (g, f)):
                for form in _partial(other):
                    weak_part = len(form) <= 2 and len(whole) >= 2
                    (weak if weak_part else strong).add(f"{whole}|{form}")
    else:
        strong.update(f"{whole}|*" for whole in given or family)
    return tuple(sorted(strong)), tuple(sorted(weak - strong))


def _name_keys(
    born: PartialDate | None, given: tuple[str, ...], family: tuple[str, ...], *, stored: bool
) -> set[str]:
    """Strong parts under the birth year; weak parts under the exact date when known,
    else under "<year>?" (a registry person known by the year only) — an applicant with an
    exact date looks up both."""
    strong, weak = _name_parts(given, family)
    year = str(born.year) if born else EMPTY
    keys = {f"{year}|{part}"[:KEY_MAX] for part in strong}
    if weak:
        if born is None:
            prefixes = [EMPTY]
        elif born.is_exact:
            prefixes = [str(born)] if stored else [str(born), f"{year}?"]
        else:
            prefixes = [f"{year}?"]
        keys.update(f"{prefix}|{part}"[:KEY_MAX] for prefix in prefixes for part in weak)
    return keys


@functools.lru_cache(maxsize=100_000)
def _pair_keys(given: tuple[str, ...], family: tuple[str, ...]) -> frozenset[str]:
    keys = set()
    for g, f in itertools.islice(itertools.product(given or ("*",), family or ("*",)), MAX_PAIRS):
        a, b = sorted((g, f))
        keys.add(f"U|{a}|{b}")
    return frozenset(key[:KEY_MAX] for key in keys)


def person_match_keys(record: IdentityRecord) -> set[str]:
    """The blocking keys to store for a registry person (see the module docstring).

    Args:
        record: the person's identity (amn.people.identity.IdentityRecord; only the names,
            the birth date's year and the CNIE number are used).
    Returns:
        set of str, each at most 64 characters; empty when the record has no name and no
        CNIE number.
    """
    given, family = record_skeletons(record, stored=True)
    keys: set[str] = set()
    if given or family:
        keys.update(
            _name_keys(record.birth_date, given, family, stored=True), _pair_keys(given, family)
        )
    if record.cnie:
        keys.add(f"C|{record.cnie}"[:KEY_MAX])
    return keys


def applicant_match_keys(record: IdentityRecord) -> set[str]:
    """The keys to look up for an applicant: those of the same year and of registry persons
    without a known birth year; without a birth date, the year-less name pairs.

    Returns:
        set of str (see person_match_keys).
    """
    given, family = record_skeletons(record)
    keys: set[str] = set()
    if given or family:
        if record.birth_date:
            keys |= _name_keys(record.birth_date, given, family, stored=False)
            keys |= _name_keys(None, given, family, stored=False)
        else:
            keys |= _pair_keys(given, family)
    if record.cnie:
        keys.add(f"C|{record.cnie}"[:KEY_MAX])
    return keys
