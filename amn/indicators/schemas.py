from ninja import Field, Schema

from amn.indicators.choices import Counting, Disaggregation


class IndicatorOut(Schema):
    """An indicator of the catalogue: its names, definition and counting rule in Arabic,
    French and English, unit of measure and allowed disaggregations; `kind` "records"
    (computed) or "entered" (dated, attributed aggregates), the annual report's `section`
    and `origin_app` (the app whose records it counts, or the body an entered figure is
    from)."""

    code: str
    kind: str
    section: str
    origin_app: str
    name_ar: str
    name_fr: str
    name_en: str
    definition_ar: str
    definition_fr: str
    definition_en: str
    counting_rule_ar: str
    counting_rule_fr: str
    counting_rule_en: str
    unit_of_measure: str
    decimals: int
    disaggregations: list[str]
    parameters: dict[str, str]


class FigureQueryIn(Schema):
    """A period (a year, or one quarter or month of it), a unit code (default: your unit,
    or the tree root for national roles and the public API), one indicator (default: all
    that allow `by`), a disaggregation and, for the clearance rate, the counting unit."""

    year: int = Field(..., ge=2, le=9998)
    quarter: int | None = Field(None, ge=1, le=4)
    month: int | None = Field(None, ge=1, le=12)
    unit: str | None = Field(None, max_length=60)
    indicator: str | None = Field(None, max_length=60)
    by: Disaggregation | None = None
    counting: Counting | None = None


class FigureOut(Schema):
    """One figure, with the same keys as `amn stats --format json`; with `by`, one more
    key named after the disaggregation holds the cell ("region": "04", "month":
    "2025-03", "iccs": "06", "category": "drug_offences" …; null for records without it).
    On the public API a small count reads "<5" and a ratio resting on small counts is null.
    Endpoints answer with exclude_unset, so only the asked disaggregation appears."""

    indicator: str
    org_unit: str
    period: str
    value: int | float | str | None
    unit_of_measure: str
    previous_value: int | float | str | None
    change: float | None
    region: str | None = None
    province: str | None = None
    month: str | None = None
    quarter: str | None = None
    iccs: str | None = None
    category: str | None = None
    sex: str | None = None
    age_group: str | None = None
    nationality: str | None = None
