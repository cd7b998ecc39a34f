"""Demo facts of the indicators app: the figures of the 2025 release that have no records
behind them in Amn (officers deployed for the Africa Cup of Nations, countries at the
Interpol General Assembly, open-days visitors), entered for the national unit with the
release as their source."""

import datetime

from amn.accounts.models import User
from amn.indicators.models import AggregateEntry
from amn.indicators.published.release import release_figures
from amn.indicators.selectors import ROOT_UNIT_TYPE
from amn.indicators.services import aggregate_entry_record
from amn.orgunits.models import OrgUnit

RELEASE_YEAR = 2025
RELEASE_DATE = datetime.date(2025, 12, 17)  # the DGSN's bulletin of 17 December 2025
DEMO_ANALYST = "analyst.hq"  # amn.accounts.demo
RELEASE_SOURCE = "DGSN, الحصيلة السنوية 2025 (بلاغ 17 دجنبر 2025)"


def load_demo() -> str:
    """Enter each entered figure of the 2025 release not entered yet; returns a summary."""
    root = OrgUnit.objects.filter(depth=1, unit_type__code=ROOT_UNIT_TYPE).first()
    if root is None:
        return "indicators: no national unit, no entries"
    # Entered by the demo analyst at headquarters, as an analyst would from the bulletin.
    analyst = User.objects.filter(username=DEMO_ANALYST).first()
    created = 0
    for figure in release_figures(RELEASE_YEAR):
        if figure["origin"] != "entered":
            continue
        code = figure["indicator"]
        if AggregateEntry.objects.filter(
            indicator__code=code, year=RELEASE_YEAR, org_unit=root
        ).exists():
            continue
        aggregate_entry_record(
            actor=analyst,
            indicator_code=code,
            year=RELEASE_YEAR,
            unit=root,
            value=figure["value"],
            source=f"{RELEASE_SOURCE}: «{figure['quote']}»",
            source_date=RELEASE_DATE,
        )
        created += 1
    return f"indicators: {created} entered figures of the {RELEASE_YEAR} release"
