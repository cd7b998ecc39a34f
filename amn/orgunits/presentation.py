"""Human-readable lines for unit status changes, in the active language."""

from django.utils.translation import gettext as _

from amn.core.locale_format import format_date
from amn.core.localized_fields import localized
from amn.orgunits.choices import DatePrecision, UnitEventKind
from amn.orgunits.models import UnitEvent


def event_date(event: UnitEvent) -> str:
    """The effective date at its known precision: "2025", "2025-12", a long date, or
    "date unknown"."""
    if event.date_precision == DatePrecision.UNKNOWN:
        return _("date unknown")
    if event.date_precision == DatePrecision.YEAR:
        return str(event.effective_on.year)
    if event.date_precision == DatePrecision.MONTH:
        return event.effective_on.strftime("%Y-%m")
    return format_date(event.effective_on)


def event_summary(event: UnitEvent) -> str:
    """One line: date, change, unit, and what changed (types, parent, seat, note)."""
    parts = [event_date(event), str(UnitEventKind(event.kind).label), localized(event, "name")]
    if event.kind == UnitEventKind.UPGRADED:
        parts.append(
            _("%(from)s → %(to)s")
            % {"from": localized(event.from_type, "name"), "to": localized(event.to_type, "name")}
        )
    elif event.kind == UnitEventKind.CREATED and event.to_type:
        parts.append(localized(event.to_type, "name"))
    if event.to_commune:
        parts.append(localized(event.to_commune, "name"))
    note = localized(event, "note")
    if note:
        parts.append(note)
    parts.append(f"[{event.decision_reference}]")
    return " — ".join(parts)
