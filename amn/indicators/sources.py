"""The record tables indicators count, and what each one allows.

Crime records come from amn.cases; service records from amn.idcards (cards produced),
amn.certificates (certificates issued, applications by channel), amn.permits (residence
cards and visas issued), amn.mobileunits (stops held and people served) and amn.hr
(recruits, competitions, promotions, training).

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
from amn.certificates.models import Certificate, CertificateApplication
from amn.hr.models import Promotion, RecruitmentCompetition, StaffMember, TrainingCompletion
from amn.idcards.models import Card
from amn.indicators.choices import Aggregate, Disaggregation, Source
from amn.mobileunits.models import Stop
from amn.permits.models import ResidenceCard, Visa

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
        app: the app label the records belong to (shown as the figure's source).
        list_fields: the fields shown when staff list the records behind a figure.
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
    app: str = "cases"
    list_fields: tuple[str, ...] = ()


def _service(model, date: str, unit_field: str, *, app: str, **options) -> SourceTable:
    """A service record table: placed at its unit's seat, counted by one date."""
    return SourceTable(
        model=model,
        dates=frozenset({date}),
        unit_field=unit_field,
        commune_field=None,
        valid=options.pop("valid", Q()),
        aggregates=options.pop("aggregates", frozenset({Aggregate.COUNT})),
        filters=options.pop("filters", frozenset()),
        disaggregations=PLACE_AND_TIME,
        app=app,
        **options,
    )


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
    Source.CNIE_CARDS: _service(
        Card, "issued_on", "unit_id", app="idcards", list_fields=("number", "issued_on", "unit")
    ),
    Source.CERTIFICATES: _service(
        Certificate,
        "issued_on",
        "issuing_unit_id",
        app="certificates",
        list_fields=("serial", "issued_on", "issuing_unit"),
    ),
    Source.CERTIFICATE_APPLICATIONS: _service(
        CertificateApplication,
        "submitted_on",
        "handling_unit_id",
        app="certificates",
        filters=frozenset({"channel"}),
        list_fields=("reference", "submitted_on", "channel", "handling_unit"),
    ),
    Source.RESIDENCE_CARDS: _service(
        ResidenceCard,
        "issued_on",
        "application__handling_unit_id",
        app="permits",
        list_fields=("number", "issued_on"),
    ),
    Source.VISAS: _service(
        Visa,
        "issued_on",
        "application__handling_unit_id",
        app="permits",
        list_fields=("number", "issued_on"),
    ),
    Source.MOBILE_UNIT_STOPS: _service(
        Stop,
        "date",
        "tour__mobile_unit__police_unit_id",
        app="mobileunits",
        # A stop counts once its results are recorded (people served known).
        valid=Q(people_served__isnull=False),
        aggregates=frozenset(
            {Aggregate.COUNT, Aggregate.SUM_PEOPLE_SERVED, Aggregate.COUNT_DISTINCT_MOBILE_UNIT}
        ),
        list_fields=("date", "commune", "people_served"),
    ),
    Source.STAFF_MEMBERS: _service(
        StaffMember,
        "hired_on",
        "unit_id",
        app="hr",
        list_fields=("staff_number", "hired_on", "unit"),
    ),
    Source.RECRUITMENT_COMPETITIONS: _service(
        RecruitmentCompetition,
        "announced_on",
        "unit_id",
        app="hr",
        aggregates=frozenset({Aggregate.COUNT, Aggregate.SUM_POSTS_OFFERED}),
        list_fields=("title", "announced_on", "posts_offered"),
    ),
    Source.PROMOTIONS: _service(
        Promotion, "promoted_on", "unit_id", app="hr", list_fields=("promoted_on", "to_grade")
    ),
    Source.TRAINING_COMPLETIONS: _service(
        TrainingCompletion,
        "completed_on",
        "unit_id",
        app="hr",
        aggregates=frozenset({Aggregate.COUNT, Aggregate.COUNT_DISTINCT_STAFF}),
        list_fields=("completed_on", "course"),
    ),
}
