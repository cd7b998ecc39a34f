"""The record tables indicators count, and what each one allows.

Only valid records count: offences and cases flagged `is_valid` (records waiting in the
validation inbox stay out of the figures, amn.cases.validation); arrests, seizures and
persons involved of a case count only when their case is not in the inbox (a seizure
without a case always counts).
Offences and persons involved carry copies of their case's recording date, unit, commune
and validity, so figures read one table without joins.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from amn.cases.models import Arrest, Case, CaseParty, CriminalNetwork, Offence, Seizure
from amn.indicators.choices import Aggregate, Disaggregation, Source

D = Disaggregation
PLACE_AND_TIME = frozenset({D.REGION, D.PROVINCE, D.MONTH, D.QUARTER})


@dataclass(frozen=True)
class SourceTable:
    """What the engine needs to know of one record table.

    Attributes:
        model: the Django model.
        dates: the date fields a filter may count by.
        unit_field: the column holding the org unit id that scopes the record.
        commune_field: the path to the commune of the record, or None when the record is
            placed at the seat commune of its unit (regions and provinces): seizures,
            networks and arrests are placed where the unit that made them sits.
        valid: the filter keeping valid records only.
        aggregates: the allowed amn.indicators.choices.Aggregate values.
        filters: the optional filter keys allowed besides source, date and aggregate.
        disaggregations: the allowed Disaggregation values.
        person_fields: for sex/age group/nationality, the path to each person attribute.
    """

    model: type[models.Model]
    dates: frozenset[str]
    unit_field: str
    commune_field: str | None
    valid: Q
    aggregates: frozenset[str]
    filters: frozenset[str]
    disaggregations: frozenset[str]
    person_fields: tuple[tuple[str, str], ...] = ()


SOURCE_TABLES: dict[str, SourceTable] = {
    Source.OFFENCES: SourceTable(
        model=Offence,
        dates=frozenset({"recorded_on", "cleared_on"}),
        unit_field="recording_unit_id",
        commune_field="commune_id",
        valid=Q(is_valid=True),
        aggregates=frozenset({Aggregate.COUNT, Aggregate.COUNT_DISTINCT_CASE}),
        filters=frozenset({"iccs_prefixes", "national_category"}),
        disaggregations=PLACE_AND_TIME | {D.ICCS, D.CATEGORY},
    ),
    Source.CASES: SourceTable(
        model=Case,
        dates=frozenset({"recorded_on", "cleared_on"}),
        unit_field="recording_unit_id",
        commune_field="commune_id",
        valid=Q(is_valid=True),
        aggregates=frozenset({Aggregate.COUNT}),
        filters=frozenset(),
        disaggregations=PLACE_AND_TIME,
    ),
    Source.SEIZURES: SourceTable(
        model=Seizure,
        dates=frozenset({"seized_on"}),
        unit_field="seized_by_id",
        commune_field=None,
        valid=Q(case__isnull=True)
        | ~Q(case_id__in=Case.objects.filter(is_valid=False).values("pk")),
        aggregates=frozenset({Aggregate.COUNT, Aggregate.SUM_STANDARD_QUANTITY}),
        filters=frozenset({"substance"}),
        disaggregations=PLACE_AND_TIME,
    ),
    Source.NETWORKS: SourceTable(
        model=CriminalNetwork,
        dates=frozenset({"dismantled_on"}),
        unit_field="unit_id",
        commune_field=None,
        valid=Q(),
        aggregates=frozenset({Aggregate.COUNT, Aggregate.SUM_MEMBERS_ARRESTED}),
        filters=frozenset({"network_kind"}),
        disaggregations=PLACE_AND_TIME,
    ),
    Source.ARRESTS: SourceTable(
        model=Arrest,
        dates=frozenset({"arrested_on"}),
        unit_field="unit_id",
        commune_field=None,
        # Arrests outnumber cases and the inbox is small: excluding the inbox's cases is
        # far cheaper than joining every arrest to its case to read `is_valid`.
        valid=~Q(case_id__in=Case.objects.filter(is_valid=False).values("pk")),
        aggregates=frozenset({Aggregate.COUNT}),
        filters=frozenset(),
        disaggregations=PLACE_AND_TIME | {D.SEX, D.AGE_GROUP, D.NATIONALITY},
        person_fields=(
            (D.SEX, "party__sex"),
            (D.AGE_GROUP, "party__age_at_time"),
            (D.NATIONALITY, "party__nationality"),
        ),
    ),
    Source.PARTIES: SourceTable(
        model=CaseParty,
        dates=frozenset({"recorded_on"}),
        unit_field="recording_unit_id",
        commune_field="commune_id",
        valid=Q(is_valid=True),
        aggregates=frozenset({Aggregate.COUNT, Aggregate.COUNT_DISTINCT_CASE}),
        filters=frozenset({"party_role"}),
        disaggregations=PLACE_AND_TIME | {D.SEX, D.AGE_GROUP, D.NATIONALITY},
        person_fields=(
            (D.SEX, "sex"),
            (D.AGE_GROUP, "age_at_time"),
            (D.NATIONALITY, "nationality"),
        ),
    ),
}
