"""Schemas of the mobile-unit API: dates ISO, hours HH:MM, communes and units by code."""

import datetime
import uuid

from ninja import Field, Schema

from amn.api.fields import LocalTime


class MobileUnitOut(Schema):
    """A mobile unit of the fleet."""

    id: uuid.UUID
    code: str
    name: str
    police_unit: str
    home_commune: str
    in_service_from: datetime.date
    in_service_to: datetime.date | None
    vehicle_registration: str

    @staticmethod
    def resolve_police_unit(unit) -> str:
        return unit.police_unit.code

    @staticmethod
    def resolve_home_commune(unit) -> str:
        return unit.home_commune.code


class StopOut(Schema):
    """A stop with its results (null until recorded)."""

    id: uuid.UUID
    commune: str
    commune_name: str
    date: datetime.date
    starts_at: LocalTime
    ends_at: LocalTime
    applications_received: int | None
    cards_delivered: int | None
    people_served: int | None
    results_recorded_at: datetime.datetime | None

    @staticmethod
    def resolve_commune(stop) -> str:
        return stop.commune.code

    @staticmethod
    def resolve_commune_name(stop) -> str:
        return stop.commune.name_fr


class TourSummaryOut(Schema):
    """A tour in a list."""

    id: uuid.UUID
    reference: str
    mobile_unit: str
    season: str
    starts_on: datetime.date
    ends_on: datetime.date
    status: str

    @staticmethod
    def resolve_mobile_unit(tour) -> str:
        return tour.mobile_unit.code


class TourOut(TourSummaryOut):
    """A tour with its stops."""

    stops: list[StopOut]

    @staticmethod
    def resolve_stops(tour) -> list:
        return list(tour.stops.select_related("commune").order_by("date", "starts_at", "id"))


class StopResultsIn(Schema):
    """The outcome of a stop: three whole numbers ≥ 0 (people served ≥ the other two)."""

    applications_received: int = Field(..., ge=0, le=100_000)
    cards_delivered: int = Field(..., ge=0, le=100_000)
    people_served: int = Field(..., ge=0, le=100_000)


class PublicStopOut(Schema):
    """An upcoming stop, public: no personal data."""

    id: uuid.UUID
    date: datetime.date
    starts_at: LocalTime
    ends_at: LocalTime
    commune: str
    commune_name_fr: str
    commune_name_ar: str
    province: str
    region: str

    @staticmethod
    def resolve_commune(stop) -> str:
        return stop.commune.code

    @staticmethod
    def resolve_commune_name_fr(stop) -> str:
        return stop.commune.name_fr

    @staticmethod
    def resolve_commune_name_ar(stop) -> str:
        return stop.commune.name_ar

    @staticmethod
    def resolve_province(stop) -> str:
        return stop.commune.province.code

    @staticmethod
    def resolve_region(stop) -> str:
        return stop.commune.province.region.code


class YearCountsOut(Schema):
    """Yearly figures of the mobile units in the caller's scope."""

    year: int
    units_in_service: int
    units_entered_service: int
    stops: int
    people_served: int
    applications_received: int
    cards_delivered: int
