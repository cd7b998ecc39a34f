"""Figures the directorate published before Amn (../shared/data/dgsn/
dgsn_published_figures.csv: DGSN annual reviews as reported by the press, one cited article
per row), loaded as external published snapshots of the national unit, one per year.

Only rows that state a catalogue indicator are kept (MAPPING: the file's indicator name →
the catalogue code and the factor to its unit of measure); the others (percent changes,
sub-totals the catalogue does not define) are reported as skipped, by name.
"""

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from amn.core.errors import ImportProblem
from amn.indicators.models import Indicator, Snapshot, SnapshotFigure
from amn.indicators.services import definition_json, snapshot_store
from amn.indicators.yearly import PUBLISHED, canonical_checksum
from amn.orgunits.models import OrgUnit

COLUMNS = ("indicator", "year", "value", "unit", "source_title", "source_url")
PLAIN_NUMBER = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,6})?")
# file indicator → (catalogue code, factor to the catalogue's unit of measure)
MAPPING = {
    "criminal_cases_recorded": ("cases_recorded", Decimal(1)),
    "drug_cases": ("drug_cases", Decimal(1)),
    "violent_crime_cases": ("violent_crime_cases", Decimal(1)),
    "clearance_rate_pct": ("clearance_rate", Decimal(1)),
    "cannabis_resin_seized": ("cannabis_resin_seized_kg", Decimal(1000)),  # tonnes → kg
    "cocaine_seized": ("cocaine_seized_kg", Decimal(1)),
    "psychotropic_pills_seized": ("psychotropic_pills_seized", Decimal(1)),
    "cnie_issued": ("cnie_produced", Decimal(1)),
    "fiche_anthropometrique_issued": ("criminal_record_certificates_issued", Decimal(1)),
    "fiche_anthropometrique_online_requests_processed": (
        "criminal_record_certificates_online_requests",
        Decimal(1),
    ),
    "entry_visas_issued": ("visas_issued", Decimal(1)),
    "recruits_hired": ("recruits_hired", Decimal(1)),
    "staff_trained": ("staff_trained", Decimal(1)),
    "police_staff_promoted": ("staff_promoted", Decimal(1)),
    "criminal_networks_dismantled": ("networks_dismantled", Decimal(1)),
}


@dataclass
class LoadSummary:
    """What load_published did: snapshots created per year, years already loaded the same,
    file indicators skipped (not in the catalogue) with their row count."""

    created: dict[int, int] = field(default_factory=dict)
    unchanged: list[int] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)


def read_rows(path: Path) -> list[dict]:
    """The file's rows, checked.

    Raises:
        ImportProblem: unreadable file, a missing column, a bad year or value (row number
            and field named), or two different values for one indicator and year.
    """
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None:
                raise ImportProblem(source=path.name, reason="the file is empty")
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ImportProblem(source=path.name, reason=f"missing columns {missing}")
            rows = list(reader)
    except (OSError, UnicodeDecodeError) as error:
        raise ImportProblem(source=path.name, reason=str(error)) from None
    if not rows:
        raise ImportProblem(source=path.name, reason="no figure below the header")
    seen: dict[tuple[str, int], Decimal] = {}
    checked = []
    for line, row in enumerate(rows, start=2):
        try:
            year = int(row["year"])
        except ValueError:
            raise ImportProblem(
                source=path.name, row=line, field="year", reason="not a year"
            ) from None
        if not PLAIN_NUMBER.fullmatch(row["value"] or ""):
            raise ImportProblem(
                source=path.name,
                row=line,
                field="value",
                reason="not a number written in digits (e.g. 779008, 170.796 or -10)",
            )
        value = Decimal(row["value"])
        for column in ("source_title", "source_url"):
            if not (row.get(column) or "").strip():
                raise ImportProblem(
                    source=path.name, row=line, field=column, reason="every figure cites its source"
                )
        key = (row["indicator"], year)
        if key in seen and seen[key] != value:
            raise ImportProblem(
                source=path.name,
                row=line,
                field="value",
                reason=f"{row['indicator']} {year} is given twice with different values",
            )
        seen[key] = value
        checked.append({**row, "year": year, "value": value, "line": line})
    return checked


@transaction.atomic
def load_published(*, path: Path, unit: OrgUnit, until: int | None = None) -> LoadSummary:
    """Load the file as external snapshots of `unit` (the national root), one per year up
    to `until` (None: every year). Idempotent: a year whose current external snapshot has
    the same checksum is left alone; a changed file supersedes it. All-or-nothing.

    Raises:
        ImportProblem: see read_rows.
    """
    summary = LoadSummary()
    indicators = {i.code: i for i in Indicator.objects.all()}
    by_year: dict[int, dict[str, tuple[Decimal, str]]] = {}
    for row in read_rows(path):
        mapped = MAPPING.get(row["indicator"])
        if mapped is None or mapped[0] not in indicators:
            summary.skipped[row["indicator"]] = summary.skipped.get(row["indicator"], 0) + 1
            continue
        if until is not None and row["year"] > until:
            continue
        code, factor = mapped
        if row["value"] < 0:
            raise ImportProblem(
                source=path.name,
                row=row["line"],
                field="value",
                reason=f"{row['indicator']} counts or measures: it cannot be negative",
            )
        source = f"{row['source_title']} — {row['source_url']}".strip(" —")
        by_year.setdefault(row["year"], {})[code] = (row["value"] * factor, source)
    for year, figures in sorted(by_year.items()):
        rows = [
            {
                "indicator": code,
                "value": value,
                "previous_value": None,
                "unit_of_measure": indicators[code].unit_of_measure,
            }
            for code, (value, _source) in sorted(figures.items())
        ]
        checksum = canonical_checksum(rows)
        current = Snapshot.objects.filter(year=year, org_unit=unit, superseded_at__isnull=True)
        if current.filter(checksum=checksum, external=True).exists():
            summary.unchanged.append(year)
            continue
        snapshot_store(
            year=year,
            unit=unit,
            external=True,
            checksum=checksum,
            figures=[
                SnapshotFigure(
                    indicator_code=code,
                    value=value,
                    unit_of_measure=indicators[code].unit_of_measure,
                    provenance=PUBLISHED,
                    source=source[:500],
                    definition=definition_json(indicators[code]),
                )
                for code, (value, source) in sorted(figures.items())
            ],
        )
        summary.created[year] = len(figures)
    return summary
