"""A synthetic registry and labelled applicants built from real name spellings, to measure
the matcher (bench/matching.py and the quality test).

Source: $AMN_SHARED_DATA/names/arabic_latin_name_units.csv.gz (real Arabic name units with
their attested Latin spellings, from the arabic-name-romanizer index; see SOURCES.md). Only
the rows of Maghreb citizens (MA, DZ, TN, MR) with role "given" or "surname" are used; a
spelling must be letters, spaces, hyphens or apostrophes.

Split: every Arabic name key goes to the "train" or the "held-out" split by a hash of the
key (HELD_OUT_SHARE of the keys held out). A person's given, family and parents' names all
come from one split. The matcher's rules were tuned on train keys only; held-out persons
test names no rule was ever looked at with (and, for the romanizer, names its index does
not hold: `romanizer_index_without()`).

Registry persons: names drawn by attestation count (so "محمد" is as frequent as it is in
the source, and homonyms are common), the registry spelling in Arabic (ta marbuta and hamza
restored at random) and/or Latin (the most attested spellings), birth year 1940–2007 (a
year only for half of those born before 1970), birth commune by 2024 population, parents'
given names, a CNIE number for some.

Applicants (queries), each labelled:
- "match": a registry person as they would fill the form: one or both scripts, another
  attested or rule-made spelling, Arabic written with diacritics, tatweel, hamza, ة/ه,
  "عبد" spacing or no article, a typo in one name, given and family names swapped, a year
  only where the registry has a date (or the reverse), parents in the applicant's script,
  birth place as a code or a name or not given, CNIE or not;
- "homonym": someone else with the same given and family names and birth year as a
  registry person, and their own parents, birth place and day of birth — the hard
  non-match;
- "other": someone who is not in the registry.

Rates of each variation are the constants below; they are assumptions, stated so that the
figures can be read with them.
"""

import csv
import datetime
import functools
import gzip
import hashlib
import itertools
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from amn.people.identity import CheckOutcome, IdentityRecord, PartialDate

MAGHREB = ("MA", "DZ", "TN", "MR")
HELD_OUT_SHARE = 0.2
UNITS_FILE = Path("names") / "arabic_latin_name_units.csv.gz"
COMMUNES_FILE = Path("geo") / "morocco" / "communes.csv"
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÿ' -]{2,40}")

# Registry side.
REGISTRY_SCRIPTS = (("both", 0.6), ("arabic", 0.25), ("latin", 0.15))
YEAR_ONLY_BEFORE_1970 = 0.5
YEAR_ONLY_AFTER = 0.05
REGISTRY_PLACE = 0.85
REGISTRY_CNIE = 0.4
# Applicant side (true matches).
APPLICANT_SCRIPTS = (("latin", 0.5), ("arabic", 0.2), ("both", 0.3))
OTHER_ATTESTED_SPELLING = 0.4
LATIN_RULE_VARIANT = 0.3
ARABIC_COSMETIC = 0.6
TYPO = 0.15
SWAPPED = 0.05
YEAR_ONLY_APPLICANT = 0.1
EXACT_WHERE_REGISTRY_YEAR = 0.5
NO_FATHER, NO_MOTHER = 0.1, 0.2
PLACE_AS = (("code", 0.4), ("name_fr", 0.3), ("name_ar", 0.15), ("none", 0.15))
APPLICANT_CNIE = 0.6
SEX_ERROR = 0.01
# Errors of the registry or of the applicant on fields other than names.
DATE_ERROR = 0.02  # another day of the same month, day and month swapped, or another day
PLACE_ERROR = 0.04  # another commune of the same province (3 in 4), or anywhere
PARENT_ERROR = 0.02  # another given name for the father (and, apart, for the mother)
# Query mix.
QUERY_MIX = (("match", 0.5), ("homonym", 0.25), ("other", 0.25))


def split_of(arabic_key: str) -> str:
    """ "held-out" for HELD_OUT_SHARE of the Arabic keys (by SHA-256), else "train"."""
    bucket = int(hashlib.sha256(arabic_key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "held-out" if bucket < HELD_OUT_SHARE else "train"


@dataclass
class Unit:
    """One Arabic name key and its attested Latin spellings with their counts."""

    arabic: str
    spellings: Counter = field(default_factory=Counter)  # all Maghreb spellings
    moroccan: Counter = field(default_factory=Counter)  # spellings of MA citizens

    @property
    def weight(self) -> int:
        return sum(self.spellings.values())

    def plausible(self, spelling: str) -> bool:
        """False for a spelling far longer or shorter than the unit's most attested one:
        such rows name a compound or another person ("Abdelaziz" listed for عزيز,
        "Fetma-Zohra" for فاطمة)."""
        ratio = len(spelling) / max(1, self.main_length)
        return 2 / 3 <= ratio <= 1.5

    @functools.cached_property
    def main_length(self) -> int:
        return len(self.spellings.most_common(1)[0][0])

    @functools.cached_property
    def registry_pools(self) -> tuple[tuple[list, list], tuple[list, list]]:
        """(Moroccan, all) plausible spellings with their cumulative counts."""
        pools = []
        for counter in (self.moroccan or self.spellings, self.spellings):
            kept = {s: n for s, n in counter.items() if self.plausible(s)} or counter
            pools.append((list(kept), list(itertools.accumulate(kept.values()))))
        return tuple(pools)


@dataclass
class NameUnits:
    """The given-name and surname units of each split."""

    given: dict[str, list[Unit]]
    surname: dict[str, list[Unit]]

    @classmethod
    def read(cls, shared_data: Path) -> "NameUnits":
        """Read the units file under `shared_data` (the AMN_SHARED_DATA folder).

        Raises:
            FileNotFoundError: the file is absent.
        """
        units: dict[str, dict[str, Unit]] = {"given": {}, "surname": {}}
        with gzip.open(shared_data / UNITS_FILE, "rt", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                role = row["role"]
                if row["country"] not in MAGHREB or role not in units:
                    continue
                if not _LATIN_NAME.fullmatch(row["latin"]):
                    continue
                unit = units[role].setdefault(row["arabic_key"], Unit(row["arabic_key"]))
                unit.spellings[row["latin"]] += int(row["count"])
                if row["country"] == "MA":
                    unit.moroccan[row["latin"]] += int(row["count"])
        by_split: dict[str, dict[str, list[Unit]]] = {"given": {}, "surname": {}}
        for role, table in units.items():
            for key in sorted(table):
                by_split[role].setdefault(split_of(key), []).append(table[key])
        return cls(given=by_split["given"], surname=by_split["surname"])

    def keys(self, split: str) -> set[str]:
        """The Arabic keys of `split` (both roles)."""
        return {u.arabic for u in self.given[split]} | {u.arabic for u in self.surname[split]}


@dataclass(frozen=True)
class Commune:
    code: str
    name_fr: str
    name_ar: str
    population: int


def read_communes(shared_data: Path) -> list[Commune]:
    """The communes of the census file under `shared_data`."""
    with open(shared_data / COMMUNES_FILE, encoding="utf-8") as handle:
        return [
            Commune(row["code"], row["name_fr"], row["name_ar"], int(row["population_2024"]))
            for row in csv.DictReader(handle)
        ]


@dataclass(frozen=True)
class Query:
    """A labelled applicant: kind "match" (truth = the registry person's person_id),
    "homonym" or "other" (truth = "")."""

    applicant: IdentityRecord
    kind: str
    truth: str
    split: str
    variations: tuple[str, ...] = ()


def _choose(rng: random.Random, table) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def looks_female(arabic_key: str) -> bool:
    """A given name ending in ta marbuta (written ه in the keys), اء or ى is taken as a
    woman's (Fatima, Zahra, Salma …). Rough — Hamza and Oussama are men's names — but the
    source has no sex, and mothers named Mohamed would make the homonyms unrealistic."""
    return arabic_key.endswith(("ه", "اء", "ى")) and not arabic_key.endswith("الله")


class _Sampler:
    def __init__(self, units: list[Unit]):
        self.units = units
        self.cumulative = list(itertools.accumulate(u.weight for u in units))

    def draw(self, rng: random.Random) -> Unit:
        return rng.choices(self.units, cum_weights=self.cumulative)[0]


_HARAKAT = "\u064e\u064f\u0650\u0651\u0652\u064b"
_ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
_LATIN_RULES = (
    ("ou", "u"),
    ("u", "ou"),
    ("ss", "s"),
    ("e", "a"),
    ("a", "e"),
    ("ch", "sh"),
    ("kh", "x"),
    ("ll", "l"),
    ("dd", "d"),
    ("i", "y"),
    ("mohamed", "mohammed"),
    ("mohammed", "mohamed"),
    ("youssef", "youcef"),
)


class Generator:
    """Synthetic registry persons and applicants (see the module docstring)."""

    def __init__(self, units: NameUnits, communes: list[Commune], seed: int = 1):
        self.rng = random.Random(seed)  # noqa: S311 — synthetic data, reproducible
        self.units = units
        self.communes = communes
        self.commune_by_code = {c.code: c for c in communes}
        self.commune_weights = list(itertools.accumulate(c.population for c in communes))
        self.samplers = {
            (role, split): _Sampler(table[split])
            for role, table in (("given", units.given), ("surname", units.surname))
            for split in ("train", "held-out")
        }
        for split in ("train", "held-out"):
            female = [u for u in units.given[split] if looks_female(u.arabic)]
            male = [u for u in units.given[split] if not looks_female(u.arabic)]
            self.samplers["F", split] = _Sampler(female)
            self.samplers["M", split] = _Sampler(male)
        self.unit_of: dict[str, Unit] = {}
        for table in (units.given, units.surname):
            for split_units in table.values():
                for unit in split_units:
                    self.unit_of.setdefault(unit.arabic, unit)
        self.serial = 0
        self.cnie_serial = 0

    # -- writing one name ---------------------------------------------------------------------

    def registry_arabic(self, unit: Unit) -> str:
        """The registry's Arabic spelling: the key with ta marbuta and hamza restored at
        random (the key itself is folded)."""
        rng, text = self.rng, unit.arabic
        if text.endswith("ه") and not text.endswith("الله") and rng.random() < 0.6:
            text = text[:-1] + "ة"
        if text.startswith("ا") and not text.startswith("ال") and rng.random() < 0.5:
            text = rng.choice("أإ") + text[1:]
        return text

    def registry_latin(self, unit: Unit) -> str:
        """The registry's Latin spelling: an attested one (Moroccan spellings first),
        upper case half of the time."""
        moroccan, anywhere = unit.registry_pools
        spellings, cumulative = moroccan if self.rng.random() < 0.8 else anywhere
        text = self.rng.choices(spellings, cum_weights=cumulative)[0]
        return text.upper() if self.rng.random() < 0.5 else text

    def applicant_latin(self, unit: Unit, registry_latin: str, notes: list[str]) -> str:
        """How an applicant writes the name in Latin script."""
        rng = self.rng
        text = registry_latin
        others = [
            s
            for s, n in unit.spellings.items()
            if n >= 2 and s.casefold() != text.casefold() and unit.plausible(s)
        ]
        if not text or (others and rng.random() < OTHER_ATTESTED_SPELLING):
            pool = others or [s for s in unit.spellings if unit.plausible(s)]
            text = rng.choice(pool)
            notes.append("attested variant")
        if rng.random() < LATIN_RULE_VARIANT:
            lowered = text.casefold()
            rules = [(a, b) for a, b in _LATIN_RULES if a in lowered]
            if rules:
                a, b = rng.choice(rules)
                at = lowered.index(a)
                text = text[:at] + b + text[at + len(a) :]
                notes.append("rule variant")
        style = rng.random()
        if style < 0.4:
            text = text.upper()
        elif style < 0.5:
            text = text.lower()
        else:
            text = text.title()
        if "-" in text and rng.random() < 0.5:
            text = text.replace("-", " ")
        return text

    def applicant_arabic(self, unit: Unit, registry_arabic: str, notes: list[str]) -> str:
        """How an applicant writes the name in Arabic script."""
        rng = self.rng
        text = registry_arabic or self.registry_arabic(unit)
        if rng.random() >= ARABIC_COSMETIC:
            return text
        notes.append("arabic cosmetic")
        if text.endswith("ة") and rng.random() < 0.5:
            text = text[:-1] + "ه"
        elif text.endswith("ه") and not text.endswith("الله") and rng.random() < 0.5:
            text = text[:-1] + "ة"
        if text.startswith("عبد") and " " not in text and len(text) > 4 and rng.random() < 0.5:
            text = "عبد " + text[3:]
        elif text.startswith("عبد ") and rng.random() < 0.5:
            text = text.replace("عبد ", "عبد", 1)
        if text.startswith("ال") and len(text) > 4 and rng.random() < 0.3:
            text = text[2:]
        if text[:1] in "أإ" and rng.random() < 0.5:
            text = "ا" + text[1:]
        if text.endswith("ي") and rng.random() < 0.1:
            text = text[:-1] + "ى"
        if rng.random() < 0.3:
            chars = list(text)
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(1, len(chars) + 1)
                if chars[at - 1] != " ":
                    chars.insert(at, rng.choice(_HARAKAT))
            text = "".join(chars)
        if rng.random() < 0.1 and len(text) > 2:
            at = rng.randrange(1, len(text) - 1)
            if text[at] != " " and text[at - 1] != " ":
                text = text[:at] + "\u0640" + text[at:]
        return text

    def typo(self, text: str) -> str:
        """One typing error: a letter changed, dropped, added, or two swapped."""
        rng = self.rng
        letters = [i for i, ch in enumerate(text) if ch.isalpha()]
        if len(letters) < 3:
            return text
        at = rng.choice(letters[1:])
        alphabet = _ARABIC_LETTERS if "\u0600" <= text[at] <= "\u06ff" else "abcdefghijklmnoprstuz"
        if text[at].isupper():
            alphabet = alphabet.upper()
        operation = rng.choice(("change", "drop", "add", "swap"))
        if operation == "change":
            return text[:at] + rng.choice(alphabet) + text[at + 1 :]
        if operation == "drop":
            return text[:at] + text[at + 1 :]
        if operation == "add":
            return text[:at] + rng.choice(alphabet) + text[at:]
        return text[: at - 1] + text[at] + text[at - 1] + text[at + 1 :]

    # -- persons ------------------------------------------------------------------------------

    def _birth(self) -> PartialDate:
        rng = self.rng
        year = rng.randint(1940, 2007)
        year_only = rng.random() < (YEAR_ONLY_BEFORE_1970 if year < 1970 else YEAR_ONLY_AFTER)
        if year_only:
            return PartialDate(year)
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        return PartialDate(year, day.month, day.day)

    def _date_error(self, born: PartialDate) -> PartialDate:
        rng = self.rng
        draw = rng.random()
        if draw < 0.6:
            day = rng.choice([d for d in range(1, 29) if d != born.day])
            return PartialDate(born.year, born.month, day)
        if draw < 0.8 and born.day <= 12 and born.day != born.month:
            return PartialDate(born.year, born.day, born.month)
        day = datetime.date(born.year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        return PartialDate(born.year, day.month, day.day)

    def _cnie(self) -> str:
        self.cnie_serial += 1
        return f"{'ABCDEFGHJKLMNPRSTUVWXYZ'[self.cnie_serial % 23]}{self.cnie_serial:07d}"

    def person(
        self, split: str, *, names: tuple[Unit, Unit] | None = None, year: int | None = None
    ) -> tuple[IdentityRecord, dict]:
        """A new registry person of `split`; `names` and `year` impose the given and family
        name units and the birth year (homonyms).

        Returns:
            (record, units): units maps "given", "family", "father", "mother" to Unit.
        """
        rng = self.rng
        given = names[0] if names else self.samplers["given", split].draw(rng)
        family = names[1] if names else self.samplers["surname", split].draw(rng)
        father = self.samplers["M", split].draw(rng)
        mother = self.samplers["F", split].draw(rng)
        born = self._birth()
        if year is not None:
            born = PartialDate(year, born.month, born.day) if born.is_exact else PartialDate(year)
            if born.is_exact and born.month == 2 and born.day == 29:
                born = PartialDate(year, 2, 28)
        scripts = _choose(rng, REGISTRY_SCRIPTS)
        arabic, latin = scripts in ("both", "arabic"), scripts in ("both", "latin")
        self.serial += 1

        def parent(unit: Unit) -> str:
            return self.registry_arabic(unit) if arabic else self.registry_latin(unit)

        record = IdentityRecord(
            person_id=f"R{self.serial:08d}",
            cnie=self._cnie() if rng.random() < REGISTRY_CNIE else "",
            given_name_ar=self.registry_arabic(given) if arabic else "",
            family_name_ar=self.registry_arabic(family) if arabic else "",
            given_name_lat=self.registry_latin(given) if latin else "",
            family_name_lat=self.registry_latin(family) if latin else "",
            sex="F" if looks_female(given.arabic) else "M",
            birth_date=born,
            birth_place=(
                rng.choices(self.communes, cum_weights=self.commune_weights)[0].code
                if rng.random() < REGISTRY_PLACE
                else ""
            ),
            father_given_name=parent(father),
            mother_given_name=parent(mother),
        )
        units = {"given": given, "family": family, "father": father, "mother": mother}
        return record, units

    def registry(
        self, count: int, splits=("train", "held-out")
    ) -> list[tuple[IdentityRecord, dict, str]]:
        """`count` registry persons, alternating between `splits`."""
        out = []
        for i in range(count):
            split = splits[i % len(splits)]
            record, units = self.person(split)
            out.append((record, units, split))
        return out

    # -- applicants -----------------------------------------------------------------------

    def applicant_from(
        self, record: IdentityRecord, units: dict, *, keep_cnie: bool
    ) -> tuple[IdentityRecord, list[str]]:
        """How the person of `record` fills in the application (see the module docstring)."""
        rng, notes = self.rng, []
        scripts = _choose(rng, APPLICANT_SCRIPTS)
        if scripts != "latin" and not record.given_name_ar and rng.random() < 0.5:
            scripts = "latin"
        notes.append(f"{scripts} applicant")
        if scripts == "latin" and not record.given_name_lat:
            notes.append("cross-script")
        if scripts == "arabic" and not record.given_name_ar:
            notes.append("cross-script")
        arabic, latin = scripts in ("both", "arabic"), scripts in ("both", "latin")
        names = {}
        for part, ar_field, lat_field in (
            ("given", "given_name_ar", "given_name_lat"),
            ("family", "family_name_ar", "family_name_lat"),
        ):
            unit = units[part]
            names[ar_field] = (
                self.applicant_arabic(unit, getattr(record, ar_field), notes) if arabic else ""
            )
            names[lat_field] = (
                self.applicant_latin(unit, getattr(record, lat_field), notes) if latin else ""
            )
        if rng.random() < TYPO:
            target = rng.choice([k for k, v in names.items() if v])
            names[target] = self.typo(names[target])
            notes.append("typo")
        if rng.random() < SWAPPED:
            names["given_name_ar"], names["family_name_ar"] = (
                names["family_name_ar"],
                names["given_name_ar"],
            )
            names["given_name_lat"], names["family_name_lat"] = (
                names["family_name_lat"],
                names["given_name_lat"],
            )
            notes.append("swapped")
        born = record.birth_date
        if born.is_exact and rng.random() < YEAR_ONLY_APPLICANT:
            born = PartialDate(born.year)
            notes.append("year only")
        elif not born.is_exact and rng.random() < EXACT_WHERE_REGISTRY_YEAR:
            day = datetime.date(born.year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
            born = PartialDate(born.year, day.month, day.day)
            notes.append("exact date, registry year only")

        if born.is_exact and rng.random() < DATE_ERROR:
            born = self._date_error(born)
            notes.append("date error")

        def parent(unit: Unit, registry_text: str) -> str:
            if rng.random() < PARENT_ERROR:
                unit, registry_text = self.samplers["given", "train"].draw(rng), ""
                notes.append("parent error")
            registry_is_arabic = bool(re.search("[\u0600-\u06ff]", registry_text))
            if latin and not arabic:
                return self.applicant_latin(unit, "" if registry_is_arabic else registry_text, [])
            return self.applicant_arabic(unit, registry_text if registry_is_arabic else "", [])

        father = (
            "" if rng.random() < NO_FATHER else parent(units["father"], record.father_given_name)
        )
        mother = (
            "" if rng.random() < NO_MOTHER else parent(units["mother"], record.mother_given_name)
        )
        place = ""
        how = _choose(rng, PLACE_AS)
        if record.birth_place and how != "none":
            commune = self.commune_by_code[record.birth_place]
            if rng.random() < PLACE_ERROR:
                same_province = [c for c in self.communes if c.code[:6] == commune.code[:6]]
                commune = rng.choice(same_province if rng.random() < 0.75 else self.communes)
                notes.append("place error")
            place = {"code": commune.code, "name_fr": commune.name_fr, "name_ar": commune.name_ar}[
                how
            ]
        sex = record.sex
        if rng.random() < SEX_ERROR:
            sex = "F" if sex == "M" else "M"
            notes.append("sex error")
        cnie = ""
        if rng.random() < APPLICANT_CNIE:
            cnie = record.cnie if keep_cnie and record.cnie else self._cnie()
        applicant = IdentityRecord(
            cnie=cnie,
            sex=sex,
            birth_date=born,
            birth_place=place,
            father_given_name=father,
            mother_given_name=mother,
            **names,
        )
        return applicant, notes

    def queries(
        self,
        registry: list[tuple[IdentityRecord, dict, str]],
        count: int,
        splits=("train", "held-out"),
    ) -> list[Query]:
        """`count` labelled applicants per split, mixed as QUERY_MIX."""
        rng = self.rng
        out: list[Query] = []
        by_split = defaultdict(list)
        for entry in registry:
            by_split[entry[2]].append(entry)
        for split in splits:
            for _ in range(count):
                kind = _choose(rng, QUERY_MIX)
                if kind == "match":
                    record, units, _split = rng.choice(by_split[split])
                    applicant, notes = self.applicant_from(record, units, keep_cnie=True)
                    out.append(Query(applicant, kind, record.person_id, split, tuple(notes)))
                    continue
                if kind == "homonym":
                    model, model_units, _split = rng.choice(by_split[split])
                    names = (model_units["given"], model_units["family"])
                    record, units = self.person(split, names=names, year=model.birth_date.year)
                    if record.birth_date == model.birth_date:
                        record = replace(record, birth_date=PartialDate(model.birth_date.year))
                    record = replace(record, sex=model.sex)
                else:
                    record, units = self.person(split)
                applicant, notes = self.applicant_from(record, units, keep_cnie=False)
                out.append(Query(applicant, kind, "", split, tuple(notes)))
        return out


# -- measuring ------------------------------------------------------------------------------


def memory_checker(records: list[IdentityRecord], communes: list[Commune]):
    """registry_check over `records` held in memory: the same keys (person_match_keys), the
    same scoring (check_with); the key index is a dict and commune names are resolved from
    `communes` instead of the database.

    Returns:
        check(applicant, limit) -> CheckResult.
    """
    from amn.core.text_search import search_fold
    from amn.people.matching.check import check_with, record_row
    from amn.people.matching.keys import person_match_keys

    index: dict[str, list[str]] = defaultdict(list)
    rows = {}
    for record in records:
        rows[record.person_id] = record_row(record)
        for key in person_match_keys(record):
            index[key].append(record.person_id)
    by_name: dict[str, set[str]] = defaultdict(set)
    for commune in communes:
        by_name[search_fold(commune.name_fr)].add(commune.code)
        by_name[search_fold(commune.name_ar)].add(commune.code)

    def rows_for_keys(keys: set[str]) -> list[dict]:
        ids = {pid for key in keys for pid in index.get(key, ())}
        return [rows[pid] for pid in sorted(ids)]

    def place_codes(text: str) -> frozenset[str]:
        text = (text or "").strip()
        if text[:2].isdigit():
            return frozenset({text})
        return frozenset(by_name.get(search_fold(text), ()))

    def check(applicant: IdentityRecord, limit: int | None = 5):
        return check_with(
            applicant, rows_for_keys=rows_for_keys, place_codes=place_codes, limit=limit
        )

    return check


@dataclass
class Tally:
    """Outcomes of labelled queries (see `record()` for the definitions)."""

    confusion: Counter = field(default_factory=Counter)  # (kind, outcome) → count
    wrong_person: int = 0  # true matches found, with another person first
    lost: int = 0  # true matches flagged for another person, theirs not returned
    misses: list = field(default_factory=list)  # (query, result) of missed matches
    false_found: list = field(default_factory=list)

    def record(self, query: Query, result) -> None:
        """Count one checked applicant. A true match counts as found when the outcome is not
        NO_RECORD and the right person is among the candidates returned (the reviewer sees
        them all, side by side); `wrong_person` counts those where another person comes
        first."""
        outcome = result.outcome
        returned = [c.person_id for c in result.candidates]
        self.confusion[query.kind, outcome] += 1
        if query.kind == "match":
            if outcome == CheckOutcome.NO_RECORD:
                self.misses.append((query, result))
            elif query.truth not in returned:
                self.lost += 1
                self.misses.append((query, result))
            elif returned[0] != query.truth:
                self.wrong_person += 1
                if outcome == CheckOutcome.RECORD_FOUND:
                    self.false_found.append((query, result))
        elif outcome == CheckOutcome.RECORD_FOUND:
            self.false_found.append((query, result))

    def count(self, kinds, outcomes) -> int:
        return sum(self.confusion[k, o] for k in kinds for o in outcomes)

    def figures(self) -> dict:
        """recall: share of true matches flagged (RECORD_FOUND or POSSIBLE_MATCH) with the
        right person among the candidates; precision (flagged): share of flagged applicants
        that are such true matches; automatic precision: share of the automatic
        decisions (RECORD_FOUND, NO_RECORD) that are right — RECORD_FOUND on the right
        person, NO_RECORD on a non-match; review share: POSSIBLE_MATCH among all."""
        found, possible, none = (
            CheckOutcome.RECORD_FOUND,
            CheckOutcome.POSSIBLE_MATCH,
            CheckOutcome.NO_RECORD,
        )
        matches = self.count(["match"], [found, possible, none])
        nonmatches = self.count(["homonym", "other"], [found, possible, none])
        flagged_right = self.count(["match"], [found, possible]) - self.lost
        flagged = self.count(["match", "homonym", "other"], [found, possible])
        wrong_found = len(self.false_found)
        automatic = self.count(["match", "homonym", "other"], [found, none])
        automatic_right = (
            self.count(["match"], [found])
            - sum(1 for q, _ in self.false_found if q.kind == "match")
            + self.count(["homonym", "other"], [none])
        )
        recall = flagged_right / matches if matches else 0.0
        precision = flagged_right / flagged if flagged else 0.0
        return {
            "queries": matches + nonmatches,
            "matches": matches,
            "non_matches": nonmatches,
            "recall": recall,
            "precision": precision,
            "f1": 2 * recall * precision / (recall + precision) if recall + precision else 0.0,
            "automatic_precision": automatic_right / automatic if automatic else 0.0,
            "record_found_precision": (
                (self.count(["match", "homonym", "other"], [found]) - wrong_found)
                / max(1, self.count(["match", "homonym", "other"], [found]))
            ),
            "no_record_precision": (
                self.count(["homonym", "other"], [none])
                / max(1, self.count(["match", "homonym", "other"], [none]))
            ),
            "review_share": self.count(["match", "homonym", "other"], [possible])
            / max(1, matches + nonmatches),
            "confusion": {
                kind: {o.value: self.confusion[kind, o] for o in (found, possible, none)}
                for kind in ("match", "homonym", "other")
            },
            "wrong_person": self.wrong_person,
            "lost": self.lost,
        }
