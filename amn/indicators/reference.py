"""Reference data this app ships: the indicator catalogue (catalogue.toml)."""

import tomllib
from pathlib import Path

from amn.cases.models import NationalCategory
from amn.core.errors import ImportProblem
from amn.indicators.choices import IndicatorKind, ReportSection
from amn.indicators.definitions import IndicatorDefinitionError, definition_of
from amn.indicators.models import Indicator

CATALOGUE = Path(__file__).with_name("catalogue.toml")
LANGUAGES = ("ar", "fr", "en")
TEXTS = ("name", "definition", "counting_rule")


def catalogue_entries(path: Path = CATALOGUE) -> list[dict]:
    """The catalogue's indicators as Indicator field values, in file order (rank).

    Raises:
        ImportProblem: unreadable TOML, a missing text, a duplicate code, or a definition
            the engine refuses (amn.indicators.definitions).
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ImportProblem(source=path.name, reason=str(error)) from None
    entries, seen = [], set()
    for rank, item in enumerate(data.get("indicator", []), start=1):
        code = item.get("code", "")
        try:
            fields = {
                "code": code,
                "rank": rank,
                "numerator": item["numerator"],
                "denominator": item.get("denominator"),
                "scale": item.get("scale", 1),
                "unit_of_measure": item["unit_of_measure"],
                "decimals": item.get("decimals", 0),
                "disaggregations": item.get("disaggregations", []),
                "parameters": item.get("parameters", {}),
                "is_public": item.get("is_public", True),
                "kind": item.get("kind", IndicatorKind.RECORDS),
                "section": item.get("section", ""),
                "origin_app": item.get("origin", ""),
            }
            for text in TEXTS:
                for language in LANGUAGES:
                    value = item[text][language].strip()
                    if not value:
                        raise KeyError(f"{text}.{language}")
                    fields[f"{text}_{language}"] = value
        except KeyError as missing:
            raise ImportProblem(
                source=path.name, reason=f"indicator {rank} ({code}): missing {missing}"
            ) from None
        if code in seen:
            raise ImportProblem(source=path.name, reason=f"indicator {code} is defined twice")
        seen.add(code)
        problem = _refused(fields)
        if problem:
            raise ImportProblem(source=path.name, reason=f"indicator {code}: {problem}")
        entries.append(fields)
    return entries


def _refused(fields: dict) -> str:
    """Why an entry cannot be loaded ("" when it can); fills `origin_app` of a recorded
    indicator with the app of the records it counts."""
    if fields["kind"] not in IndicatorKind.values:
        return f"unknown kind {fields['kind']!r}"
    if fields["section"] not in ReportSection.values:
        return f"unknown report section {fields['section']!r}"
    if fields["kind"] == IndicatorKind.ENTERED:
        if fields["numerator"] or not fields["origin_app"]:
            return "an entered indicator has an origin and no numerator"
        return ""
    try:
        definition = definition_of(Indicator(**fields))
    except IndicatorDefinitionError as error:
        return str(error)
    fields["origin_app"] = fields["origin_app"] or definition.numerator.table.app
    return ""


def load_reference(*, actor) -> str:
    """Create or update every indicator of the catalogue (idempotent).

    The file is the source of truth for the indicators it ships; indicators added by an
    administrator under other codes are left alone.

    Raises:
        ImportProblem: see catalogue_entries, or a national category the catalogue names
            but amn.cases has not loaded.
    """
    entries = catalogue_entries()
    known = set(NationalCategory.objects.values_list("code", flat=True))
    for fields in entries:
        category = fields["numerator"].get("national_category")
        if category is not None and category not in known:
            raise ImportProblem(
                source=CATALOGUE.name,
                reason=f"indicator {fields['code']}: no national category {category}",
            )
        Indicator.objects.update_or_create(code=fields["code"], defaults=fields)
    return f"indicators: {len(entries)}"
