"""Writes of the indicators app: aggregate entries, published snapshots, the scale of a
generated year. Entries and snapshots are in the change trail (django-auditlog, apps.py)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.access.scoping import is_national, unit_in_scope
from amn.accounts.choices import Role
from amn.core.errors import DomainError
from amn.indicators.models import (
    AggregateEntry,
    GeneratedYear,
    Indicator,
    Snapshot,
    SnapshotFigure,
)
from amn.indicators.yearly import canonical_checksum, check_year, figure_row, year_figures
from amn.orgunits.models import OrgUnit

# Who publishes a report or enters an aggregate: administrators and analysts, for the
# units of their scope.
PUBLISHER_ROLES = frozenset({Role.ADMINISTRATOR, Role.ANALYST})


def may_publish(actor, unit: OrgUnit) -> bool:
    """True when `actor` (a User; None: the command line) may publish or enter figures for
    `unit`: an administrator or analyst whose scope holds the unit — the national report
    is published by national accounts, a wilaya's by its own analysts."""
    if actor is None:
        return True
    return actor.role in PUBLISHER_ROLES and (is_national(actor) or unit_in_scope(actor, unit))


def _require_publisher(actor, unit: OrgUnit) -> None:
    """Raises DomainError unless may_publish(actor, unit)."""
    if not may_publish(actor, unit):
        raise DomainError(_("Your role does not publish figures for this unit."))


def aggregate_entry_record(
    *,
    actor,
    indicator_code: str,
    year: int,
    unit: OrgUnit,
    value,
    source: str,
    source_date,
) -> AggregateEntry:
    """Enter the figure of an entered indicator (no records behind it in Amn).

    Args:
        actor: the User entering it (administrator or analyst in scope), None for the CLI.
        indicator_code: an indicator of kind "entered"; year: its year (check_year);
        unit: the org unit it is for; value: a number ≥ 0 (str, int, Decimal);
        source: the document it is taken from (required); source_date: that document's date.
    Returns:
        AggregateEntry, saved (the latest entry is the figure; earlier ones are kept).
    Raises:
        DomainError: unknown or computed indicator, bad year, negative or non-numeric value,
            no source, a role that does not publish for the unit.
    """
    _require_publisher(actor, unit)
    indicator = Indicator.objects.filter(code=indicator_code).first()
    if indicator is None:
        raise DomainError(_("No indicator %(code)s.") % {"code": indicator_code})
    if not indicator.is_entered:
        raise DomainError(
            _("Indicator %(code)s is computed from records; it cannot be entered.")
            % {"code": indicator_code}
        )
    check_year(year)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise DomainError(_("value: %(value)r is not a number.") % {"value": value}) from None
    if not number.is_finite() or number < 0:
        raise DomainError(_("value: a figure is a number of zero or more."))
    if not (source or "").strip():
        raise DomainError(_("source: say which document the figure comes from."))
    entry = AggregateEntry.objects.create(
        indicator=indicator,
        year=year,
        org_unit=unit,
        value=number,
        source=source.strip(),
        source_date=source_date,
        entered_by=actor,
    )
    return entry


@transaction.atomic
def snapshot_publish(*, actor, year: int, unit: OrgUnit) -> Snapshot:
    """Freeze the figures of `year` for `unit`'s subtree as published.

    Every figure is stored with its value, previous value, change, provenance and the
    definition in force (names, definition and counting rule in each language, numerator
    and denominator). A snapshot already published for the same year and unit is
    superseded (kept, marked with the time and the new snapshot): figures are never
    changed silently; the report shows the as-published value next to a restated one.

    Args:
        actor: administrator or analyst in scope, or None for the command line.
    Returns:
        Snapshot with its figures and checksum (amn.indicators.yearly.canonical_checksum).
    Raises:
        DomainError: the actor may not publish; FigureError: an unknown year.
    """
    _require_publisher(actor, unit)
    computed = year_figures(year=year, unit=unit, breakdowns=False)
    rows = [figure_row(figure) for figure in computed.figures]
    indicators = {i.code: i for i in Indicator.objects.all()}
    return snapshot_store(
        year=year,
        unit=unit,
        published_by=actor,
        checksum=canonical_checksum(rows),
        figures=[
            SnapshotFigure(
                indicator_code=figure.code,
                value=_decimal(figure.value),
                previous_value=_decimal(figure.previous_value),
                change=_decimal(figure.change),
                unit_of_measure=figure.unit_of_measure,
                provenance=figure.provenance.kind if figure.provenance else "",
                source=figure.provenance.source[:500] if figure.provenance else "",
                definition=definition_json(indicators[figure.code]),
            )
            for figure in computed.figures
        ],
    )


def snapshot_store(
    *,
    year: int,
    unit: OrgUnit,
    checksum: str,
    figures: list[SnapshotFigure],
    published_by=None,
    external: bool = False,
) -> Snapshot:
    """Store a snapshot of `unit`'s `year` with its `figures` (unsaved SnapshotFigure rows,
    without their snapshot), superseding the current one (kept, marked with the time and
    the new snapshot). Call inside a transaction; the current snapshot is locked first.

    Returns:
        the new Snapshot.
    """
    now = timezone.now()
    earlier = list(
        Snapshot.objects.select_for_update()
        .filter(year=year, org_unit=unit, superseded_at__isnull=True)
        .values_list("pk", flat=True)
    )
    Snapshot.objects.filter(pk__in=earlier).update(superseded_at=now)
    snapshot = Snapshot.objects.create(
        year=year,
        org_unit=unit,
        published_at=now,
        published_by=published_by,
        external=external,
        checksum=checksum,
    )
    Snapshot.objects.filter(pk__in=earlier).update(superseded_by=snapshot)
    for figure in figures:
        figure.snapshot = snapshot
    SnapshotFigure.objects.bulk_create(figures)
    return snapshot


def generated_year_record(*, year: int, scale: float) -> GeneratedYear:
    """Record that `year`'s operational records were generated at `scale` (0 < scale ≤ 1)
    of the release's volumes; the report states it.

    Raises:
        DomainError: a scale outside (0, 1].
    """
    if not 0 < scale <= 1:
        raise DomainError(_("scale: between 0 (excluded) and 1."))
    generated, _created = GeneratedYear.objects.update_or_create(
        year=year, defaults={"scale": Decimal(str(scale)).quantize(Decimal("0.000001"))}
    )
    return generated


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def definition_json(indicator: Indicator) -> dict:
    """The definition of `indicator` in force, as a snapshot keeps it."""
    texts = {
        f"{text}_{language}": getattr(indicator, f"{text}_{language}")
        for text in ("name", "definition", "counting_rule")
        for language in ("ar", "fr", "en")
    }
    return {
        **texts,
        "kind": indicator.kind,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "scale": indicator.scale,
        "decimals": indicator.decimals,
    }
