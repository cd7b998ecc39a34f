"""Request and response bodies of the CNIE API."""

import datetime
import uuid

from ninja import Field, Schema


class ErrorBody(Schema):
    """The inside of the error envelope: machine code, message, per-field errors —
    {field: message} from this API's own checks, or the list of {loc, msg, type} of the
    API-wide 422 answer to a malformed body (amn/api/urls.py)."""

    code: str
    message: str
    fields: dict[str, str] | list[dict] = {}


class ErrorOut(Schema):
    """The API's error envelope: {"error": {"code", "message", "fields"?}}."""

    error: ErrorBody


class PreApplicationIn(Schema):
    """A pre-application (see amn.idcards.services.PreApplication). Dates are ISO
    (YYYY-MM-DD); `unit_id` (an office) or `stop_id` (a mobile-unit stop), not both."""

    kind: str
    family_name_latin: str
    given_name_latin: str
    family_name_ar: str
    given_name_ar: str
    sex: str
    birth_date: datetime.date
    address: str
    unit_id: int | None = None
    stop_id: uuid.UUID | None = None
    birth_place: str = ""
    email: str = ""
    phone: str = ""
    cnie_number: str = ""
    loss_kind: str = ""
    loss_circumstances: str = ""
    guardian_name: str = ""
    guardian_cnie: str = ""
    change_details: str = ""
    language: str = "ar"


class ApplicationCreatedOut(Schema):
    """The recorded pre-application: `created` is False when the same pre-application was
    already recorded (it is returned instead of a second one)."""

    id: uuid.UUID
    reference: str
    status: str
    created: bool


class BookingIn(Schema):
    """Book (or move) the appointment of application `reference`: proof of ownership is
    the applicant's birth date."""

    birth_date: datetime.date
    slot_id: uuid.UUID


class BookingOut(Schema):
    """The appointment booked: its id, times (ISO 8601, with offset) and office code."""

    booking_id: uuid.UUID
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    office: str


class TrackIn(Schema):
    """The keys of the public tracking: reference and the applicant's birth date."""

    reference: str
    birth_date: datetime.date


class StepOut(Schema):
    """One step of the tracking: reached or not, when, by which unit (its code)."""

    step: str
    label: str
    reached: bool
    at: datetime.datetime | None
    unit: str | None
    appointment_at: datetime.datetime | None


class TrackOut(Schema):
    """An application's status and steps, as on the tracking page."""

    reference: str
    kind: str
    status: str
    office: str
    appointment_at: datetime.datetime | None
    steps: list[StepOut]


class VerifyIn(Schema):
    """A partner's verification request: the CNIE number and the identity it was given.
    Strings, validated by the service so that malformed calls are logged too."""

    cnie: str = Field("", max_length=40)
    family_name: str = Field("", max_length=200)
    given_name: str = Field("", max_length=200)
    birth_date: str = Field("", max_length=40, description="YYYY-MM-DD")


class VerifyOut(Schema):
    """MATCH, NO_MATCH or CARD_INVALID — nothing else about the holder."""

    result: str


class ApplicationSummaryOut(Schema):
    """An application in the staff worklist."""

    id: uuid.UUID
    reference: str
    kind: str
    status: str
    office: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_office(application) -> str:
        """The office's unit code."""
        return application.unit.code


class StepIn(Schema):
    """The next step: enrol (with both captures confirmed), produce, ready, deliver or
    no_show."""

    action: str
    photo_captured: bool = False
    fingerprints_captured: bool = False
