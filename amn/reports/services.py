"""Writes of the annual report: publishing a year's figures (a frozen snapshot)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from amn.indicators import services as indicator_services
from amn.indicators.services import may_publish
from amn.orgunits.models import OrgUnit
from amn.reports.selectors import public_cache_clear


def report_publish(*, actor, year: int, unit: OrgUnit):
    """Publish the figures of `year` for `unit`'s subtree: amn.indicators.services.
    snapshot_publish freezes every figure with its definitions (and writes the audit event);
    the cached public report of the year is forgotten.

    Returns:
        the Snapshot (with .checksum and .published_at).
    Raises:
        PermissionDenied: the actor may not publish for the unit
            (amn.indicators.services.may_publish).
        FigureError: a year the figures do not cover.
    """
    if not may_publish(actor, unit):
        raise PermissionDenied(_("Only administrators and analysts of the unit publish reports."))
    snapshot = indicator_services.snapshot_publish(actor=actor, year=year, unit=unit)
    public_cache_clear(year=year)
    return snapshot
