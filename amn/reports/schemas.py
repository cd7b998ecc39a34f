from typing import Literal

from ninja import Field, Schema


class ReportQueryIn(Schema):
    """A unit code (default: the national root) and a language (default: the active one)."""

    unit: str | None = Field(None, max_length=60)
    lang: Literal["ar", "fr", "en"] | None = None


class ProvenanceOut(Schema):
    """Where a figure comes from: kind "records", "entered" or "published"; the source cited,
    who entered it and when (ISO date) for entered and published figures."""

    kind: str
    source: str
    entered_by: str
    entered_on: str | None


class ReportFigureOut(Schema):
    """One figure of the report, raw numbers; value null where there are no records."""

    indicator: str
    name: str
    section: str
    value: int | float | None
    unit_of_measure: str
    previous_value: int | float | None
    change: float | None
    definition: str
    counting_rule: str
    provenance: ProvenanceOut | None
    previous_provenance: ProvenanceOut | None
    as_published: int | float | None
    restated: bool


class ReportOut(Schema):
    """The annual report's figures for a year and unit subtree (amn report --format json)."""

    year: int
    org_unit: str
    org_unit_name: str
    language: str
    snapshot_checksum: str
    published_at: str | None
    scale: float | None
    figures: list[ReportFigureOut]
