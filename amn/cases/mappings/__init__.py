"""Mappings of agencies' incident files to Amn's cases: one TOML file per source.

A mapping says which columns of an incident-level CSV hold the date, the offence type, the
arrest flag and the place, how the agency's offence types translate to ICCS codes, and which
org-unit tree receives the incidents. `amn import-incidents FILE --mapping NAME_OR_PATH`
takes the name of a mapping shipped in this folder (e.g. `chicago`) or the path of a TOML
file written the same way; chicago.toml is the worked example and documents every key.

Offence rules: the offence type (and, where the agency's detail column refines it, the
detail) decides the ICCS code. For a type, an exact detail wins, then the longest matching
detail prefix, then the type's default `iccs`; a type with `skip` is not an offence and its
rows are rejected with that reason. Types and details are compared in upper case with
runs of spaces collapsed.
"""

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from string import Formatter

from amn.core.errors import ImportProblem

MAPPINGS_DIR = Path(__file__).resolve().parent
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
# A code that the org-unit tree accepts (OrgUnit.code is a slug of at most 60 characters).
_UNIT_CODE = re.compile(r"[-A-Za-z0-9_]{1,60}")


def normalise_label(value: str) -> str:
    """An agency's offence type or detail as compared: upper case, single spaces (str)."""
    return " ".join(value.split()).upper()


@dataclass(frozen=True)
class OffenceRule:
    """How one offence type of the agency becomes an ICCS code.

    `iccs` is the default code (None: the type needs a detail rule to be coded),
    `details` maps exact details to codes, `prefixes` pairs detail prefixes with codes,
    longest first; `skip` (non-empty) marks a type that is not a criminal offence.
    """

    iccs: str | None
    details: dict[str, str]
    prefixes: tuple[tuple[str, str], ...]
    skip: str = ""

    def code_for(self, detail: str) -> str | None:
        """The ICCS code for a (normalised) detail, or None when no rule covers it."""
        if detail in self.details:
            return self.details[detail]
        for prefix, code in self.prefixes:
            if detail.startswith(prefix):
                return code
        return self.iccs


@dataclass(frozen=True)
class UnitNames:
    """Names of an org unit in the three languages (str.format templates for places)."""

    name_ar: str
    name_fr: str
    name_en: str


@dataclass(frozen=True)
class PlaceTree:
    """The org-unit tree that receives the incidents: a root and one unit per place.

    `places` maps a value of the place column to the place's name; `unit_code`,
    `unit_names` are templates over {place} (the value) and {name}; rows without a place
    are recorded at the root when `missing_to_root`, rejected otherwise.
    """

    root_code: str
    root_unit_type: str
    root_names: UnitNames
    unit_type: str
    unit_code: str
    unit_names: UnitNames
    places: dict[str, str]
    missing_to_root: bool

    def code_of(self, place: str) -> str:
        return self.unit_code.format(place=place, name=self.places[place])

    def names_of(self, place: str) -> UnitNames:
        values = {"place": place, "name": self.places[place]}
        return UnitNames(
            name_ar=self.unit_names.name_ar.format(**values),
            name_fr=self.unit_names.name_fr.format(**values),
            name_en=self.unit_names.name_en.format(**values),
        )


@dataclass(frozen=True)
class Mapping:
    """A parsed, checked mapping (see chicago.toml for the meaning of each key).

    Columns name the file's header cells; `recorded_column` is None when the recorded
    date is the occurred date; `key_columns` are the columns whose content identifies a
    row (source key); dates are parsed with `date_formats` (datetime.strptime) and must lie
    between `earliest` and the day of the import.
    """

    name: str
    source_name: str
    origin: str
    key_columns: tuple[str, ...]
    occurred_column: str
    recorded_column: str | None
    date_formats: tuple[str, ...]
    earliest: datetime.date
    offence_column: str
    detail_column: str | None
    arrest_column: str
    arrest_true: frozenset[str]
    arrest_false: frozenset[str]
    place_column: str
    narrative: str
    offences: dict[str, OffenceRule]
    tree: PlaceTree

    def columns(self) -> set[str]:
        """Every header cell the mapping reads (the file must have them all)."""
        used = {
            self.occurred_column,
            self.offence_column,
            self.arrest_column,
            self.place_column,
            *self.key_columns,
            *_template_fields(self.narrative),
        }
        used |= {c for c in (self.recorded_column, self.detail_column) if c}
        return used

    def iccs_codes(self) -> set[str]:
        """Every ICCS code the mapping can produce (each must exist in the ICCS table)."""
        codes = set()
        for rule in self.offences.values():
            codes |= {rule.iccs} if rule.iccs else set()
            codes |= set(rule.details.values()) | {code for _prefix, code in rule.prefixes}
        return codes


def shipped_mappings() -> list[str]:
    """Names of the mappings shipped with Amn (list[str], sorted)."""
    return sorted(path.stem for path in MAPPINGS_DIR.glob("*.toml"))


def mapping_path(spec: str) -> Path:
    """The TOML file meant by `spec`: a path to a .toml file, or a shipped mapping's name.

    Raises:
        ImportProblem: no such file, or no shipped mapping of that name.
    """
    if spec.endswith(".toml") or "/" in spec or "\\" in spec:
        path = Path(spec)
        if not path.is_file():
            raise ImportProblem(source=spec, reason="mapping file not found")
        return path
    if _NAME.fullmatch(spec) and (MAPPINGS_DIR / f"{spec}.toml").is_file():
        return MAPPINGS_DIR / f"{spec}.toml"
    raise ImportProblem(
        source=spec,
        reason="unknown mapping; give the path of a .toml file or one of the mappings "
        f"shipped with Amn: {', '.join(shipped_mappings()) or '(none)'}",
    )


def load_mapping(spec: str) -> Mapping:
    """Read and check the mapping named by `spec` (see mapping_path).

    Returns:
        Mapping.
    Raises:
        ImportProblem: unknown mapping, invalid TOML, or a missing or ill-typed key (the
            message names the key).
    """
    path = mapping_path(spec)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ImportProblem(source=str(path), reason=f"not valid TOML: {error}") from None
    return _parse(data, source=str(path), default_name=path.stem)


class _Reader:
    """Typed access to the TOML tables, naming the faulty key in every error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, reason: str) -> ImportProblem:
        return ImportProblem(source=self.source, field=key, reason=reason)

    def table(self, data: dict, key: str) -> dict:
        value = data.get(key.rsplit(".", 1)[-1])
        if not isinstance(value, dict):
            raise self.fail(key, "a table is required")
        return value

    def text(self, data: dict, key: str, *, required: bool = True) -> str | None:
        value = data.get(key.rsplit(".", 1)[-1])
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "a non-empty string is required")
        return value

    def texts(self, data: dict, key: str) -> tuple[str, ...]:
        value = data.get(key.rsplit(".", 1)[-1])
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "a non-empty list of strings is required")
        return tuple(value)

    def code_table(self, data: dict, key: str) -> dict[str, str]:
        value = data.get(key.rsplit(".", 1)[-1], {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail(key, "a table of strings is required")
        return {normalise_label(k): v for k, v in value.items()}


def _template_fields(template: str) -> set[str]:
    return {field for _text, field, _spec, _conv in Formatter().parse(template) if field}


def _iccs(read: _Reader, key: str, code: str) -> str:
    if not re.fullmatch(r"\d{2}(\d{2}(\d{1,2})?)?", code):
        raise read.fail(key, f"{code!r} is not an ICCS code (2, 4, 5 or 6 digits)")
    return code


def _offence_rule(read: _Reader, key: str, value) -> OffenceRule:
    if isinstance(value, str):
        return OffenceRule(iccs=_iccs(read, key, value), details={}, prefixes=())
    if not isinstance(value, dict):
        raise read.fail(key, "an ICCS code or a table (iccs, details, prefixes, skip) is needed")
    unknown = set(value) - {"iccs", "details", "prefixes", "skip"}
    if unknown:
        raise read.fail(key, f"unknown keys {sorted(unknown)}")
    skip = value.get("skip", "")
    if not isinstance(skip, str):
        raise read.fail(f"{key}.skip", "a string (the reason) is required")
    iccs = read.text(value, f"{key}.iccs", required=False)
    details = {
        detail: _iccs(read, f"{key}.details", code)
        for detail, code in read.code_table(value, f"{key}.details").items()
    }
    prefixes = tuple(
        sorted(
            (
                (prefix, _iccs(read, f"{key}.prefixes", code))
                for prefix, code in read.code_table(value, f"{key}.prefixes").items()
            ),
            key=lambda pair: -len(pair[0]),
        )
    )
    if not skip and not (iccs or details or prefixes):
        raise read.fail(key, "give an ICCS code (iccs, details or prefixes) or a skip reason")
    return OffenceRule(
        iccs=_iccs(read, f"{key}.iccs", iccs) if iccs else None,
        details=details,
        prefixes=prefixes,
        skip=skip.strip(),
    )


def _names(read: _Reader, data: dict, key: str) -> UnitNames:
    return UnitNames(
        name_ar=read.text(data, f"{key}.name_ar"),
        name_fr=read.text(data, f"{key}.name_fr"),
        name_en=read.text(data, f"{key}.name_en"),
    )


def _tree(read: _Reader, places: dict) -> PlaceTree:
    root = read.table(places, "places.root")
    root_code = read.text(root, "places.root.code")
    names = places.get("names")
    if not isinstance(names, dict) or not names:
        raise read.fail("places.names", "a table of place values and names is required")
    if not all(isinstance(v, str) and v.strip() for v in names.values()):
        raise read.fail("places.names", "every place needs a non-empty name")
    missing = places.get("missing", "reject")
    if missing not in ("root", "reject"):
        raise read.fail("places.missing", 'either "root" or "reject"')
    tree = PlaceTree(
        root_code=root_code,
        root_unit_type=read.text(root, "places.root.unit_type"),
        root_names=_names(read, root, "places.root"),
        unit_type=read.text(places, "places.unit_type"),
        unit_code=read.text(places, "places.unit_code"),
        unit_names=_names(read, places, "places"),
        places={key.strip(): value.strip() for key, value in names.items()},
        missing_to_root=missing == "root",
    )
    codes = [root_code]
    try:
        codes += [tree.code_of(place) for place in tree.places]
        for place in tree.places:
            tree.names_of(place)
    except (KeyError, IndexError, ValueError) as error:
        raise read.fail("places", f"a name or code template is invalid: {error}") from None
    bad = [code for code in codes if not _UNIT_CODE.fullmatch(code)]
    if bad:
        raise read.fail("places.unit_code", f"not valid unit codes: {bad[:3]}")
    if len(set(codes)) != len(codes):
        raise read.fail("places.unit_code", "two places (or a place and the root) share a code")
    return tree


def _parse(data: dict, *, source: str, default_name: str) -> Mapping:
    read = _Reader(source)
    about = read.table(data, "source")
    columns = read.table(data, "columns")
    dates = read.table(data, "dates")
    arrest = read.table(data, "arrest")
    offences = read.table(data, "offences")
    name = read.text(about, "source.name")
    if not _NAME.fullmatch(name) or len(name) > 40:
        raise read.fail("source.name", "lower-case letters, digits, - and _, at most 40")
    earliest = dates.get("earliest", datetime.date(1900, 1, 1))
    if not isinstance(earliest, datetime.date) or isinstance(earliest, datetime.datetime):
        raise read.fail("dates.earliest", "a TOML date (YYYY-MM-DD) is required")
    recorded = read.text(dates, "dates.recorded")
    narrative = data.get("narrative", {}).get("template", "")
    if not isinstance(narrative, str):
        raise read.fail("narrative.template", "a string is required")
    try:
        narrative_fields = _template_fields(narrative)
    except ValueError as error:
        raise read.fail("narrative.template", str(error)) from None
    if any(not isinstance(f, str) or f.isdigit() for f in narrative_fields):
        raise read.fail("narrative.template", "fields must name columns, e.g. {Description}")
    true_values = {v.strip().lower() for v in read.texts(arrest, "arrest.true")}
    false_values = {v.strip().lower() for v in read.texts(arrest, "arrest.false")}
    if true_values & false_values:
        raise read.fail("arrest", "a value cannot mean both arrest and no arrest")
    rules = {
        normalise_label(kind): _offence_rule(read, f"offences.{kind}", value)
        for kind, value in offences.items()
    }
    if not rules:
        raise read.fail("offences", "at least one offence type is required")
    return Mapping(
        name=default_name,
        source_name=name,
        origin=about.get("origin", ""),
        key_columns=read.texts(about, "source.key_columns"),
        occurred_column=read.text(columns, "columns.occurred"),
        recorded_column=None if recorded == "occurred" else recorded,
        date_formats=read.texts(dates, "dates.formats"),
        earliest=earliest,
        offence_column=read.text(columns, "columns.offence"),
        detail_column=read.text(columns, "columns.offence_detail", required=False),
        arrest_column=read.text(columns, "columns.arrest"),
        arrest_true=frozenset(true_values),
        arrest_false=frozenset(false_values),
        place_column=read.text(columns, "columns.place"),
        narrative=narrative,
        offences=rules,
        tree=_tree(read, read.table(data, "places")),
    )
