import datetime
import uuid

from ninja import Field, Schema


class CaseFilterParams(Schema):
    """Filters of the case list (amn.cases.filters.CaseFilter): all optional."""

    unit: str | None = Field(None, max_length=60, description="Unit code: that unit's subtree")
    recorded_from: datetime.date | None = Field(None, description="First recording day")
    recorded_to: datetime.date | None = Field(None, description="Last recording day")
    iccs_section: str | None = Field(None, max_length=2, description="ICCS section, e.g. 06")
    status: str | None = Field(None, max_length=10, description="open, referred or closed")
    in_inbox: bool | None = Field(None, description="true: only the validation inbox")
    reference: str | None = Field(None, max_length=24, description="Part of the reference")

    def as_filter_data(self) -> dict[str, str]:
        """The parameters given, as the strings a FilterSet reads (ISO dates, true/false)."""
        data = {}
        for name, value in self.model_dump(exclude_none=True).items():
            if isinstance(value, bool):
                data[name] = "true" if value else "false"
            else:
                data[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return data


class OffenceOut(Schema):
    """An offence: ICCS code (null while missing), clearance, its date and reason."""

    id: int
    iccs_code: str | None = Field(None, alias="iccs_id")
    clearance: str
    cleared_on: datetime.date | None
    exceptional_reason: str


class CaseSummaryOut(Schema):
    """A case in a list: dates as ISO dates, units and communes by code; `is_valid` false
    with its `problems` for a case waiting in the validation inbox (out of the figures)."""

    id: uuid.UUID
    reference: str
    recording_unit: str
    commune: str | None
    occurred_on: datetime.date
    reported_on: datetime.date | None
    recorded_on: datetime.date
    status: str
    cleared_on: datetime.date | None
    is_valid: bool
    problems: list[str]
    offences: list[OffenceOut]

    @staticmethod
    def resolve_recording_unit(case) -> str:
        return case.recording_unit.code

    @staticmethod
    def resolve_commune(case) -> str | None:
        return case.commune.code if case.commune else None

    @staticmethod
    def resolve_offences(case) -> list:
        return list(case.offences.all())


class PartyOut(Schema):
    """A person involved: role, sex (F/M or empty), age then, nationality (ISO alpha-2),
    and the person record's id when linked."""

    id: int
    role: str
    sex: str
    age_at_time: int | None
    nationality: str
    person_id: uuid.UUID | None


class ArrestOut(Schema):
    """An arrest: date, arresting unit's code, the person involved (id) when recorded."""

    arrested_on: datetime.date
    unit: str
    party_id: int | None

    @staticmethod
    def resolve_unit(arrest) -> str:
        return arrest.unit.code


class CaseOut(CaseSummaryOut):
    """One case with its narrative, persons involved and arrests."""

    narrative: str
    parties: list[PartyOut]
    arrests: list[ArrestOut]

    @staticmethod
    def resolve_parties(case) -> list:
        return list(case.parties.all())

    @staticmethod
    def resolve_arrests(case) -> list:
        return list(case.arrests.select_related("unit"))
