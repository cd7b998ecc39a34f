import datetime
import uuid

from ninja import Schema


class PersonOut(Schema):
    """A person record for staff: names in both scripts, birth (date or year only),
    nationality (ISO 3166-1 alpha-2) and the recording unit's code; never the CNIE."""

    id: uuid.UUID
    family_name_ar: str
    given_name_ar: str
    family_name_latin: str
    given_name_latin: str
    sex: str
    birth_date: datetime.date | None
    birth_year: int | None
    nationality: str
    recorded_by: str

    @staticmethod
    def resolve_recorded_by(person) -> str:
        return person.recorded_by.code
