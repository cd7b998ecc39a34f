"""Reading and writing the person exchange record (issue 4, "Person fields").

One parser serves every place a person arrives from outside: the registry import
(`amn import-registry`, which also reads a person's "convictions"), the registry check
(`amn registry-check` and POST /api/v1/people/check) and the certificate application. It
turns one JSON object into an `amn.people.identity.IdentityRecord` and reports every
problem as a FieldError (which field, why) — never echoing the value, which is personal
data.

Field rules:
- `person_id`: the registry's own identifier, 1–40 of A–Z a–z 0–9 . _ : / -
  (a JSON number is taken as its digits).
- `cnie`: one or two letters then digits (amn.people.cnie); case, blanks of any kind and
  Arabic-Indic digits are normalised ("be 123 ٤٥٦" → "BE123456").
- `given_name_ar`, `family_name_ar`: Arabic script only; `given_name_lat`,
  `family_name_lat`: Latin script only; `father_given_name`, `mother_given_name`: either.
  Letters, spaces, hyphens and apostrophes; at most 100 characters after cleaning
  (amn.core.text_input.clean_text); Arabic presentation forms (text copied from a
  reshaped PDF) are folded to the plain letters. A family name in at least one script.
- `sex`: "M", "F" or empty (either case).
- `birth_date`: "YYYY-MM-DD" or "YYYY" (a JSON number is taken as a year); a year stays
  a year (never a day and month invented); no impossible date, none in the future, none
  before 1880.
- `birth_place`: a commune's HCP code ("03.231.01.0"), or its French or Arabic name
  (folded by amn.core.text_search.search_fold: "fes" finds Fès); a name shared by several
  communes is refused (give the code). The record carries the commune's code.
- Any other key is refused.

Convictions (import only), each an object with `court` (≤ 200 characters), `judgment_date`
("YYYY-MM-DD", not in the future, not before the birth), `iccs_code` (a code of the ICCS
table, e.g. "0401"), `sentence` (≤ 300 characters) and optionally `cleared_on`
("YYYY-MM-DD", the rehabilitation or expiry date, not before the judgment).
"""

from __future__ import annotations

import datetime
import gzip
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.core.digits import ascii_digits
from amn.core.text_input import clean_text
from amn.core.text_search import search_fold
from amn.people.cnie import cnie_normalise
from amn.people.identity import (
    Candidate,
    CheckResult,
    FieldComparison,
    IdentityRecord,
    PartialDate,
)

NAME_MAX_LENGTH = 100  # Person name fields' max_length
PERSON_ID_MAX_LENGTH = 40  # Person.registry_id's max_length
COURT_MAX_LENGTH = 200  # JudicialRecord.court's max_length
SENTENCE_MAX_LENGTH = 300  # JudicialRecord.sentence's max_length
MAX_CONVICTIONS = 200  # per person and line: far above any real record, bounds a bad line
# The oldest person ever documented was born in 1875; earlier years are typing errors.
EARLIEST_BIRTH_YEAR = 1880

PERSON_FIELDS = (
    "person_id",
    "cnie",
    "given_name_ar",
    "family_name_ar",
    "given_name_lat",
    "family_name_lat",
    "sex",
    "birth_date",
    "birth_place",
    "father_given_name",
    "mother_given_name",
)
CONVICTIONS_FIELD = "convictions"
CONVICTION_FIELDS = ("court", "judgment_date", "iccs_code", "sentence", "cleared_on")

_PERSON_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,39}")
_YEAR = re.compile(r"(\d{4})")
_FULL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_COMMUNE_CODE = re.compile(r"\d{2}\.\d{3}\.\d{2}\.\d{1,2}")
_CODE_AT_END = re.compile(r"\s*\((\d{2}\.\d{3}\.\d{2}\.\d{1,2})\)\s*$")
_SEPARATORS = " \\-'\u2019\u02bc"  # space, hyphen, apostrophes (ASCII, right quote, modifier)
_LATIN_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f"
_ARABIC_LETTERS = (
    "\u0621-\u065f\u0670-\u06d3\u06d5-\u06ed\u06ee\u06ef\u06fa-\u06fc\u0750-\u077f\u08a0-\u08ff"
)
# A name: letters of its script and separators, with at least one letter.
_NAME_PATTERNS = {
    script: re.compile(f"[{_SEPARATORS}]*[{letters}][{letters}{_SEPARATORS}]*")
    for script, letters in (
        ("ar", _ARABIC_LETTERS),
        ("lat", _LATIN_LETTERS),
        ("any", _LATIN_LETTERS + _ARABIC_LETTERS),
    )
}
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
# A character that is neither a letter, a combining mark (Latin accents, Arabic vowel
# signs), a digit nor a name separator: "<", "(", ".", "_" …
_SIGN = re.compile(f"[^\\w\u0300-\u036f\u064b-\u065f\u0670{_SEPARATORS}]|_")


class FieldProblem(ValueError):
    """One field's value is refused; `str(problem)` says why (translated, no value)."""


@dataclass(frozen=True)
class FieldError:
    """A refused field of an exchange object: `field` is the key ("cnie",
    "convictions[0].iccs_code"), or "" when the whole line is refused; `reason` is the
    translated explanation, which never contains the value."""

    field: str
    reason: str


@dataclass(frozen=True)
class ConvictionInput:
    """A conviction read from an import line: court, judgment date, ICCS code, sentence,
    and the rehabilitation or expiry date (None when it still appears on certificates)."""

    court: str
    judgment_date: datetime.date
    iccs_code: str
    sentence: str
    cleared_on: datetime.date | None = None


@dataclass(frozen=True)
class RegistryEntry:
    """A person to write into the registry: the identity record (birth_place holding a
    commune code or "") and the convictions."""

    record: IdentityRecord
    convictions: tuple[ConvictionInput, ...] = ()


@dataclass
class ParsedIdentity:
    """What the parser made of one object: the record (None when any field is refused),
    its convictions (import only), the birth place's Commune primary key (None when not
    given) and the refused fields."""

    record: IdentityRecord | None = None
    convictions: tuple[ConvictionInput, ...] = ()
    birth_place_id: int | None = None
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was refused."""
        return not self.errors

    def entry(self) -> RegistryEntry:
        """The RegistryEntry of an accepted object.

        Raises:
            ValueError: the object was refused.
        """
        if self.record is None:
            raise ValueError("refused exchange object has no entry")
        return RegistryEntry(self.record, self.convictions)


# ---------------------------------------------------------------- single fields


def _text(value) -> str:
    """`value` as cleaned text: None → "", str → clean_text(str).

    Raises:
        FieldProblem: neither text nor null.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldProblem(_("Give this value as text."))
    # Most values are clean already: check that in C before cleaning character by character
    # (the same result: clean_text only changes non-printable characters, blanks other
    # than single inner spaces, and text that is not in NFC).
    if (
        value.isprintable()
        and "  " not in value
        and value[:1] != " "
        and value[-1:] != " "
        and unicodedata.is_normalized("NFC", value)
    ):
        return value
    return clean_text(value)


def person_id_parse(value) -> str:
    """The registry's identifier of a person, or "" when absent.

    Raises:
        FieldProblem: not 1–40 characters among letters, digits and . _ : / -.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = _text(value)
    if text and not _PERSON_ID.fullmatch(text):
        raise FieldProblem(
            _("A person identifier is 1 to 40 letters, digits or the signs . _ : / -.")
        )
    return text


def cnie_parse(value) -> str:
    """A CNIE number normalised (uppercase, ASCII digits, no blanks), or "" when absent.

    Raises:
        FieldProblem: not one or two letters followed by digits.
    """
    text = _text(value)
    if not text:
        return ""
    cnie = cnie_normalise(text)
    if cnie is None:
        raise FieldProblem(
            _("A CNIE number is one or two letters followed by digits, e.g. BE123456.")
        )
    return cnie


def name_parse(value, *, script: str) -> str:
    """A name as written, cleaned (amn.core.text_input.clean_text), or "" when absent.

    Args:
        script: "ar" (Arabic letters only), "lat" (Latin letters only) or "any" (either).
    Raises:
        FieldProblem: longer than 100 characters, digits or signs other than spaces,
            hyphens and apostrophes, or letters of the other script.
    """
    text = _text(value)
    if not text:
        return ""
    if script != "lat" and _PRESENTATION_FORMS.search(text):
        text = unicodedata.normalize("NFKC", text)
    if len(text) > NAME_MAX_LENGTH:
        raise FieldProblem(_("A name of at most 100 characters, please."))
    if not _NAME_PATTERNS[script].fullmatch(text):
        if _SIGN.search(text):  # markup, punctuation, symbols: say so, not "no digits"
            raise FieldProblem(_("A name is made of letters, spaces, hyphens and apostrophes."))
        if any(ch.isdigit() for ch in text):
            raise FieldProblem(_("A name has no digits."))
        if script == "ar":
            raise FieldProblem(_("Write this name in Arabic letters."))
        if script == "lat":
            raise FieldProblem(_("Write this name in Latin letters."))
        raise FieldProblem(_("A name is made of letters, spaces, hyphens and apostrophes."))
    return text


def sex_parse(value) -> str:
    """The sex: "M", "F" or "" (unknown).

    Raises:
        FieldProblem: anything else.
    """
    text = _text(value).upper()
    if text not in ("", "M", "F"):
        raise FieldProblem(_("Sex is M or F (or left empty)."))
    return text


def birth_date_parse(value, *, today: datetime.date | None = None) -> PartialDate | None:
    """A birth date, exact or year-only, or None when absent.

    Args:
        value: "YYYY-MM-DD", "YYYY" or a JSON number (a year); Arabic-Indic digits allowed.
        today: the local date (default: today in the site's time zone, Africa/Casablanca).
    Returns:
        PartialDate; a year stays a year (month and day None).
    Raises:
        FieldProblem: another format, a day that does not exist, a date in the future or
            before 1880.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    text = ascii_digits(_text(value)).replace(" ", "")
    if not text:
        return None
    today = today or timezone.localdate()
    if match := _YEAR.fullmatch(text):
        born = PartialDate(int(match.group(1)))
        latest = today.year
    elif match := _FULL_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise FieldProblem(_("This day does not exist in the calendar.")) from None
        born = PartialDate(year, month, day)
        latest = None
    else:
        raise FieldProblem(_("Give the date of birth as YYYY-MM-DD, or only the year YYYY."))
    if (latest is not None and born.year > latest) or (born.is_exact and born.as_date() > today):
        raise FieldProblem(_("A date of birth cannot be in the future."))
    if born.year < EARLIEST_BIRTH_YEAR:
        raise FieldProblem(
            _("A date of birth before %(year)d is not plausible.") % {"year": EARLIEST_BIRTH_YEAR}
        )
    return born


def full_date_parse(value, *, today: datetime.date | None = None, past: bool = True):
    """A full date "YYYY-MM-DD" (Arabic-Indic digits allowed), or None when absent.

    Args:
        past: refuse a date after `today` (default: the local date).
    Raises:
        FieldProblem: another format, a day that does not exist, or a future date when
            `past`.
    """
    text = ascii_digits(_text(value)).replace(" ", "")
    if not text:
        return None
    match = _FULL_DATE.fullmatch(text)
    if not match:
        raise FieldProblem(_("Give the date as YYYY-MM-DD."))
    try:
        day = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise FieldProblem(_("This day does not exist in the calendar.")) from None
    if past and day > (today or timezone.localdate()):
        raise FieldProblem(_("This date is in the future."))
    return day


class CommuneLookup:
    """Resolves a birth place typed as a commune code or name to (commune id, code).

    Lookups are remembered for the object's life: an import of a million lines asks the
    database once per distinct place, not once per line; with `preload`, every code is
    read in one query at the first lookup. Make a new one per request or import (the
    geography can change between them).
    """

    def __init__(self, *, preload: bool = False):
        self._known: dict[str, tuple[int, str] | FieldProblem] = {}
        self._preload = preload

    def resolve(self, text: str) -> tuple[int, str]:
        """(Commune primary key, HCP code) of `text`: a code ("03.231.01.0"), a French or
        Arabic name (folded: "FES", "Fès" and "فاس" find Fès), or a name followed by its
        code in parentheses, as the application form's list shows it.

        Raises:
            FieldProblem: no commune has this code or name, or several share the name.
        """
        if self._preload:
            self._preload = False
            self._codes_load()
        known = self._known.get(text)
        if known is None:
            try:
                known = self._lookup(text)
            except FieldProblem as problem:
                known = problem
            self._known[text] = known
        if isinstance(known, FieldProblem):
            raise known
        return known

    def _codes_load(self) -> None:
        """Remember every commune's code at once (1,503 rows): one query for an import."""
        from amn.geo.models import Commune

        for pk, code in Commune.objects.values_list("pk", "code"):
            self._known.setdefault(code, (pk, code))

    def _lookup(self, text: str) -> tuple[int, str]:
        from amn.geo.models import Commune  # the geography is read, never written, here

        plain = ascii_digits(text).strip()
        code_match = _COMMUNE_CODE.fullmatch(plain) or _CODE_AT_END.search(plain)
        if code_match:
            code = code_match.group(1) if code_match.re is _CODE_AT_END else plain
            row = Commune.objects.filter(code=code).values_list("pk", "code").first()
            if row is not None:
                return row
            if code_match.re is _COMMUNE_CODE:
                raise FieldProblem(_("No commune has this code."))
            plain = _CODE_AT_END.sub("", plain)
        folded = search_fold(plain)
        if not folded:
            raise FieldProblem(_("No commune has this name: give its code."))
        # search_name is "<folded French name> <folded Arabic name>".
        rows = Commune.objects.filter(
            Q(search_name__startswith=f"{folded} ") | Q(search_name__endswith=f" {folded}")
        ).values_list("pk", "code", "name_fr", "name_ar")
        matches = [
            (pk, code)
            for pk, code, name_fr, name_ar in rows
            if folded in (search_fold(name_fr), search_fold(name_ar))
        ]
        if not matches:
            raise FieldProblem(_("No commune has this name: give its code."))
        if len(matches) > 1:
            raise FieldProblem(_("Several communes have this name: give the commune's code."))
        return matches[0]


class IccsLookup:
    """The codes of the ICCS table (amn.cases.models.IccsCategory), read once."""

    def __init__(self):
        self._codes: frozenset[str] | None = None

    def check(self, value) -> str:
        """The ICCS code `value` (text; Arabic-Indic digits allowed).

        Raises:
            FieldProblem: empty, or not a code of the table.
        """
        text = ascii_digits(_text(value)).replace(" ", "")
        if not text:
            raise FieldProblem(_("Give the offence's ICCS code, e.g. 0401."))
        if self._codes is None:
            from amn.cases.models import IccsCategory

            self._codes = frozenset(IccsCategory.objects.values_list("code", flat=True))
        if text not in self._codes:
            raise FieldProblem(_("This is not a code of the ICCS table."))
        return text


# ---------------------------------------------------------------- whole objects


class IdentityParser:
    """Parses exchange objects (dicts from JSON) into IdentityRecords.

    Args:
        convictions: accept a "convictions" list (the registry import); otherwise the key
            is refused like any unknown key.
        require_person_id: refuse an object without `person_id` (the registry import).
        today: the local date used to refuse future dates (default: today, local time).
        preload_communes: read every commune code in one query at the first birth place
            (for imports of many lines).
    Lookups of communes and ICCS codes are remembered for the parser's life.
    """

    def __init__(
        self,
        *,
        convictions: bool = False,
        require_person_id: bool = False,
        today: datetime.date | None = None,
        preload_communes: bool = False,
    ):
        self.accept_convictions = convictions
        self.require_person_id = require_person_id
        self.today = today or timezone.localdate()
        self.communes = CommuneLookup(preload=preload_communes)
        self.iccs = IccsLookup()
        allowed = set(PERSON_FIELDS)
        if convictions:
            allowed.add(CONVICTIONS_FIELD)
        self._allowed = frozenset(allowed)
        arabic, latin, either = (partial(name_parse, script=s) for s in ("ar", "lat", "any"))
        self._fields = (
            ("person_id", person_id_parse),
            ("cnie", cnie_parse),
            ("given_name_ar", arabic),
            ("family_name_ar", arabic),
            ("given_name_lat", latin),
            ("family_name_lat", latin),
            ("sex", sex_parse),
            ("birth_date", partial(birth_date_parse, today=self.today)),
            ("birth_place", _text),
            ("father_given_name", either),
            ("mother_given_name", either),
        )

    def parse(self, data) -> ParsedIdentity:
        """Parse one exchange object.

        Returns:
            ParsedIdentity: the record and convictions, or the FieldErrors (all of them,
            not only the first).
        """
        result = ParsedIdentity()
        errors = result.errors
        if not isinstance(data, dict):
            errors.append(FieldError("", _("Each line must be one JSON object.")))
            return result
        if not self._allowed.issuperset(data):
            errors.extend(
                FieldError(str(key)[:40], _("Unknown field."))
                for key in data
                if key not in self._allowed
            )
        values: dict = {}
        get = data.get
        for name, parse in self._fields:
            try:
                values[name] = parse(get(name))
            except FieldProblem as problem:
                errors.append(FieldError(name, str(problem)))
                values[name] = None

        if self.require_person_id and values["person_id"] == "":
            errors.append(FieldError("person_id", _("Give the person's registry identifier.")))
        if (
            values["family_name_ar"] == ""
            and values["family_name_lat"] == ""
            and not any(e.field in ("family_name_ar", "family_name_lat") for e in errors)
        ):
            errors.append(
                FieldError("family_name_ar", _("Give the family name in Arabic or Latin script."))
            )
        place_code = ""
        if values["birth_place"]:
            try:
                result.birth_place_id, place_code = self.communes.resolve(values["birth_place"])
            except FieldProblem as problem:
                errors.append(FieldError("birth_place", str(problem)))
        if self.accept_convictions and data.get(CONVICTIONS_FIELD) is not None:
            result.convictions = self.convictions_parse(
                data[CONVICTIONS_FIELD], born=values["birth_date"], errors=errors
            )
        if errors:
            return result
        result.record = IdentityRecord(
            person_id=values["person_id"],
            cnie=values["cnie"],
            given_name_ar=values["given_name_ar"],
            family_name_ar=values["family_name_ar"],
            given_name_lat=values["given_name_lat"],
            family_name_lat=values["family_name_lat"],
            sex=values["sex"],
            birth_date=values["birth_date"],
            birth_place=place_code,
            father_given_name=values["father_given_name"],
            mother_given_name=values["mother_given_name"],
        )
        return result

    def field_parse(self, name: str, value):
        """One person field alone, by the rules of `parse` (for a form's clean_<field>):
        the cleaned value — for `birth_place` the commune's code ("" when empty).

        Raises:
            FieldProblem: the value is refused (str(problem) says why).
            KeyError: `name` is not a person field.
        """
        parse = dict(self._fields)[name]
        parsed = parse(value)
        if name == "birth_place" and parsed:
            return self.communes.resolve(parsed)[1]
        return parsed

    def convictions_parse(
        self, value, *, born: PartialDate | None, errors: list[FieldError]
    ) -> tuple[ConvictionInput, ...]:
        """The convictions of a "convictions" list; refused fields are appended to
        `errors` (field "convictions[i].<name>") and their conviction left out.

        Args:
            born: the person's birth date, if known (a judgment cannot precede it).
        """
        if not isinstance(value, list):
            errors.append(FieldError(CONVICTIONS_FIELD, _("Give the convictions as a list.")))
            return ()
        if len(value) > MAX_CONVICTIONS:
            errors.append(
                FieldError(
                    CONVICTIONS_FIELD,
                    _("At most %(n)d convictions per person.") % {"n": MAX_CONVICTIONS},
                )
            )
            return ()
        convictions = []
        for index, item in enumerate(value):
            prefix = f"{CONVICTIONS_FIELD}[{index}]"
            if not isinstance(item, dict):
                errors.append(FieldError(prefix, _("Each conviction must be a JSON object.")))
                continue
            before = len(errors)
            for key in item:
                if key not in CONVICTION_FIELDS:
                    errors.append(FieldError(f"{prefix}.{str(key)[:40]}", _("Unknown field.")))
            parsed = {}
            for name, parse in (
                ("court", lambda v: _bounded(v, COURT_MAX_LENGTH)),
                ("judgment_date", lambda v: full_date_parse(v, today=self.today)),
                ("iccs_code", self.iccs.check),
                ("sentence", lambda v: _bounded(v, SENTENCE_MAX_LENGTH)),
                ("cleared_on", lambda v: full_date_parse(v, today=self.today, past=False)),
            ):
                try:
                    parsed[name] = parse(item.get(name))
                except FieldProblem as problem:
                    errors.append(FieldError(f"{prefix}.{name}", str(problem)))
            judged = parsed.get("judgment_date")
            if "judgment_date" in parsed and judged is None:
                errors.append(
                    FieldError(f"{prefix}.judgment_date", _("Give the date of the judgment."))
                )
            for name in ("court", "sentence"):
                if parsed.get(name) == "":
                    errors.append(FieldError(f"{prefix}.{name}", _("This field is required.")))
            if judged and born and _before_birth(judged, born):
                errors.append(
                    FieldError(f"{prefix}.judgment_date", _("A judgment cannot precede the birth."))
                )
            cleared = parsed.get("cleared_on")
            if judged and cleared and cleared < judged:
                errors.append(
                    FieldError(
                        f"{prefix}.cleared_on",
                        _("Rehabilitation or expiry cannot precede the judgment."),
                    )
                )
            if len(errors) == before:
                convictions.append(ConvictionInput(**parsed))
        return tuple(convictions)


def _bounded(value, limit: int) -> str:
    text = _text(value)
    if len(text) > limit:
        raise FieldProblem(_("At most %(n)d characters, please.") % {"n": limit})
    return text


def _before_birth(day: datetime.date, born: PartialDate) -> bool:
    if born.is_exact:
        return day < born.as_date()
    return day.year < born.year


def json_line_parse(parser: IdentityParser, number: int, raw: str | bytes):
    """Parse line `number` (1-based) of a JSON Lines file with `parser`.

    Args:
        raw: the line as str, or bytes (decoded as UTF-8; a byte-order mark on line 1 is
            ignored).
    Returns:
        ParsedIdentity, or None for a blank line; a line that is not UTF-8, not JSON or
        not an object gives a ParsedIdentity with one error for the whole line (field "").
    """
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return ParsedIdentity(errors=[FieldError("", _("This line is not UTF-8 text."))])
    if number == 1:
        raw = raw.removeprefix("\ufeff")
    if not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return ParsedIdentity(errors=[FieldError("", _("This line is not valid JSON."))])
    return parser.parse(data)


def identity_parse(data, **options) -> ParsedIdentity:
    """Parse one exchange object with a fresh IdentityParser (`options` as its own);
    for one-off use (an API request, a form). Imports keep one parser for all lines."""
    return IdentityParser(**options).parse(data)


# ---------------------------------------------------------------- output


def identity_record_to_dict(record: IdentityRecord) -> dict:
    """The exchange object of `record`: every person field, in the issue's order, as text
    ("" when unknown); `birth_date` as "YYYY-MM-DD" or "YYYY"."""
    return {
        "person_id": record.person_id,
        "cnie": record.cnie,
        "given_name_ar": record.given_name_ar,
        "family_name_ar": record.family_name_ar,
        "given_name_lat": record.given_name_lat,
        "family_name_lat": record.family_name_lat,
        "sex": record.sex,
        "birth_date": str(record.birth_date) if record.birth_date else "",
        "birth_place": record.birth_place,
        "father_given_name": record.father_given_name,
        "mother_given_name": record.mother_given_name,
    }


def field_error_to_dict(error: FieldError, *, line: int | None = None) -> dict:
    """{"line": n (when given), "field": name or None for the whole line, "reason": text}."""
    out = {} if line is None else {"line": line}
    out.update({"field": error.field or None, "reason": error.reason})
    return out


def check_result_to_dict(result: CheckResult) -> dict:
    """The JSON of a registry check, as printed by `amn registry-check` and returned by
    POST /api/v1/people/check:
    {"outcome", "score", "candidates": [{"person_id", "score",
    "fields": [{"field", "agreement", "weight", "detail"}]}]}.

    Candidates are named as the matcher names them (the registry identifier, else the
    UUID). Scores are rounded to 4 decimals, weights to 3.
    """
    return {
        "outcome": str(result.outcome),
        "score": round(float(result.score), 4),
        "candidates": [_candidate_to_dict(c) for c in result.candidates],
    }


def _candidate_to_dict(candidate: Candidate) -> dict:
    return {
        "person_id": str(candidate.person_id),
        "score": round(float(candidate.score), 4),
        "fields": [_comparison_to_dict(f) for f in candidate.fields],
    }


def _comparison_to_dict(comparison: FieldComparison) -> dict:
    return {
        "field": comparison.field,
        "agreement": comparison.agreement,
        "weight": round(float(comparison.weight), 3),
        "detail": comparison.detail,
    }


# ---------------------------------------------------------------- files


class JsonLinesFile:
    """A JSON Lines file (plain, or gzip whatever its name), iterable any number of times:
    each iteration reopens it and yields its lines as bytes (decoded by the reader, so
    that a line that is not UTF-8 is refused alone). Memory holds one line at a time."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def __iter__(self) -> Iterator[bytes]:
        with self.path.open("rb") as probe:
            zipped = probe.read(2) == b"\x1f\x8b"
        opener = gzip.open if zipped else open
        with opener(self.path, "rb") as handle:
            yield from handle
