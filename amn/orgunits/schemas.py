import datetime
import uuid

from ninja import Schema


class UnitOut(Schema):
    """A police unit as the public API shows it: public UUID, codes and names."""

    id: uuid.UUID
    code: str
    name_ar: str
    name_fr: str
    name_en: str
    unit_type: str
    commune_code: str | None
    parent_code: str | None

    @staticmethod
    def resolve_id(unit) -> uuid.UUID:
        return unit.public_id

    @staticmethod
    def resolve_unit_type(unit) -> str:
        return unit.unit_type.code

    @staticmethod
    def resolve_commune_code(unit) -> str | None:
        return unit.commune.code if unit.commune else None

    @staticmethod
    def resolve_parent_code(unit) -> str | None:
        return unit.parent_code


class UnitEventOut(Schema):
    """A unit status change: unit code, kind, ISO date at its precision, types, decision."""

    unit_code: str
    kind: str
    effective_on: datetime.date
    date_precision: str
    from_type: str | None
    to_type: str | None
    decision_reference: str

    @staticmethod
    def resolve_unit_code(event) -> str:
        return event.unit.code

    @staticmethod
    def resolve_from_type(event) -> str | None:
        return event.from_type.code if event.from_type else None

    @staticmethod
    def resolve_to_type(event) -> str | None:
        return event.to_type.code if event.to_type else None
