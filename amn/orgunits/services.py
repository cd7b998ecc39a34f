"""Writes of the police-unit tree: every change is a dated UnitEvent with its decision."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from amn.core.errors import DomainError
from amn.geo.models import Commune
from amn.orgunits.choices import DatePrecision, UnitEventKind, UnitStatus
from amn.orgunits.models import OrgUnit, UnitEvent, UnitType


def _names(unit: OrgUnit) -> dict[str, str]:
    return {"name_ar": unit.name_ar, "name_fr": unit.name_fr, "name_en": unit.name_en}


def _check_open(unit: OrgUnit, effective_on: datetime.date | None) -> None:
    if effective_on is None:
        raise DomainError(_("A change needs its effective date."))
    if unit.status == UnitStatus.CLOSED:
        raise DomainError(_("Unit %(code)s is closed.") % {"code": unit.code})
    last = unit.events.exclude(effective_on=None).order_by("-effective_on").first()
    if last and effective_on < last.effective_on:
        raise DomainError(
            _("Effective date %(date)s is before the unit's last change (%(last)s).")
            % {"date": effective_on.isoformat(), "last": last.effective_on.isoformat()}
        )


@transaction.atomic
def unit_create(
    *,
    actor,
    code: str,
    name_ar: str,
    name_fr: str,
    name_en: str,
    unit_type: UnitType,
    parent: OrgUnit | None,
    commune: Commune | None,
    effective_on: datetime.date | None,
    decision_reference: str,
    date_precision: str = DatePrecision.DAY,
    serves_public: bool = False,
    note_ar: str = "",
    note_fr: str = "",
    note_en: str = "",
) -> OrgUnit:
    """Create a unit under `parent` (None: a root, the directorate-general) and record it.

    `effective_on` may be None only with `date_precision` "unknown": a unit entered into
    the registry without its founding date.

    Returns:
        OrgUnit, saved, with a CREATED event dated `effective_on`.
    Raises:
        DomainError: the code is taken or the parent is closed.
    """
    if (effective_on is None) != (date_precision == DatePrecision.UNKNOWN):
        raise DomainError(_("Give the creation date, or mark its precision as unknown."))
    if OrgUnit.objects.filter(code=code).exists():
        raise DomainError(_("A unit with code %(code)s already exists.") % {"code": code})
    fields = {
        "code": code,
        "name_ar": name_ar,
        "name_fr": name_fr,
        "name_en": name_en,
        "unit_type": unit_type,
        "commune": commune,
        "serves_public": serves_public,
    }
    if parent is None:
        unit = OrgUnit.objects.add_root(fields)
    else:
        if parent.status == UnitStatus.CLOSED:
            raise DomainError(_("Unit %(code)s is closed.") % {"code": parent.code})
        unit = OrgUnit.objects.add_child(parent, fields)
    UnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.CREATED,
        **_names(unit),
        effective_on=effective_on,
        date_precision=date_precision,
        to_type=unit_type,
        to_parent=parent,
        to_commune=commune,
        decision_reference=decision_reference,
        note_ar=note_ar,
        note_fr=note_fr,
        note_en=note_en,
    )
    return unit


@transaction.atomic
def unit_upgrade(
    *,
    actor,
    unit: OrgUnit,
    to_type: UnitType,
    effective_on: datetime.date,
    decision_reference: str,
    date_precision: str = DatePrecision.DAY,
    new_names: dict[str, str] | None = None,
    note_ar: str = "",
    note_fr: str = "",
    note_en: str = "",
) -> UnitEvent:
    """Change a unit's type (e.g. regional commissariat → provincial security area).

    `new_names` ({"name_ar": …, "name_fr": …, "name_en": …}) renames the unit to match its
    new type; the old names stay in the audit trail.

    Raises:
        DomainError: same type, closed unit, or a date before the unit's last change.
    """
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _check_open(unit, effective_on)
    if unit.unit_type_id == to_type.pk:
        raise DomainError(_("The unit already has this type."))
    from_type = unit.unit_type
    names = {k: v for k, v in (new_names or {}).items() if k in ("name_ar", "name_fr", "name_en")}
    for name, value in names.items():
        setattr(unit, name, value)
    unit.unit_type = to_type
    unit.save(update_fields=["unit_type", *names, "updated_at"])
    event = UnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.UPGRADED,
        **_names(unit),
        effective_on=effective_on,
        date_precision=date_precision,
        from_type=from_type,
        to_type=to_type,
        decision_reference=decision_reference,
        note_ar=note_ar,
        note_fr=note_fr,
        note_en=note_en,
    )
    return event


@transaction.atomic
def unit_move(
    *,
    actor,
    unit: OrgUnit,
    effective_on: datetime.date,
    decision_reference: str,
    new_parent: OrgUnit | None = None,
    new_commune: Commune | None = None,
    date_precision: str = DatePrecision.DAY,
    note_ar: str = "",
    note_fr: str = "",
    note_en: str = "",
) -> UnitEvent:
    """Move a unit under another parent and/or to new premises in another (or the same) commune.

    A new headquarters building in the same commune is a move with `new_commune` equal to
    the current one and the premises described in the note.

    Raises:
        DomainError: nothing to move, a parent inside the unit's own subtree or closed, or a
            closed unit.
    """
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _check_open(unit, effective_on)
    if new_parent is None and new_commune is None:
        raise DomainError(_("A move needs a new parent unit or a new seat."))
    if new_parent is not None and (new_parent.pk == unit.pk or new_parent.is_descendant_of(unit)):
        raise DomainError(_("A unit cannot be moved under itself or its own sub-units."))
    if new_parent is not None and new_parent.status == UnitStatus.CLOSED:
        raise DomainError(_("Unit %(code)s is closed.") % {"code": new_parent.code})
    old_parent = OrgUnit.objects.get_parent(unit)
    event = UnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.MOVED,
        **_names(unit),
        effective_on=effective_on,
        date_precision=date_precision,
        from_parent=old_parent if new_parent else None,
        to_parent=new_parent,
        from_commune=unit.commune if new_commune else None,
        to_commune=new_commune,
        decision_reference=decision_reference,
        note_ar=note_ar,
        note_fr=note_fr,
        note_en=note_en,
    )
    if new_commune is not None:
        unit.commune = new_commune
        unit.save(update_fields=["commune", "updated_at"])
    if new_parent is not None and (old_parent is None or new_parent.pk != old_parent.pk):
        OrgUnit.objects.move(unit, new_parent, pos="sorted-child")
    return event


@transaction.atomic
def unit_close(
    *,
    actor,
    unit: OrgUnit,
    effective_on: datetime.date,
    decision_reference: str,
    date_precision: str = DatePrecision.DAY,
    note_ar: str = "",
    note_fr: str = "",
    note_en: str = "",
) -> UnitEvent:
    """Close a unit. Its sub-units must be closed or moved first.

    Raises:
        DomainError: the unit has open sub-units, is already closed, or the date is too early.
    """
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    _check_open(unit, effective_on)
    if OrgUnit.objects.get_children(unit).filter(status=UnitStatus.ACTIVE).exists():
        raise DomainError(_("Close or move the unit's open sub-units first."))
    event = UnitEvent.objects.create(
        unit=unit,
        kind=UnitEventKind.CLOSED,
        **_names(unit),
        effective_on=effective_on,
        date_precision=date_precision,
        decision_reference=decision_reference,
        note_ar=note_ar,
        note_fr=note_fr,
        note_en=note_en,
    )
    unit.status = UnitStatus.CLOSED
    unit.serves_public = False
    unit.save(update_fields=["status", "serves_public", "updated_at"])
    return event
