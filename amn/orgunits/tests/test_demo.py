"""The demo's police units and the 2025 changes of the DGSN release, seen through
`amn unit-history`; `amn load-demo` is idempotent."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from amn.orgunits.models import OrgUnit, UnitEvent
from amn.people.models import Person

RELEASE = "[DGSN, bilan annuel 2025 (communiqué du 17 décembre 2025)]"
REGIONAL_TO_PROVINCIAL = "Regional commissariat → Provincial security area"

# (date as shown, change, unit, type or types) of every change of the release
CHANGES_2025 = {
    ("2025", "Upgraded", "Tikiouine Provincial Security Area", REGIONAL_TO_PROVINCIAL),
    ("2025", "Upgraded", "Ouislane Provincial Security Area", REGIONAL_TO_PROVINCIAL),
    ("2025", "Upgraded", "Aït Melloul Provincial Security Area", REGIONAL_TO_PROVINCIAL),
    ("2025", "Moved", "Khouribga 1st Police District", "Khouribga"),
    ("2025", "Created", "Settat Traffic-Accident Service", "Traffic-accident service"),
    ("2025", "Created", "Taza Traffic-Accident Service", "Traffic-accident service"),
    ("2025", "Created", "Sefrou Traffic-Accident Service", "Traffic-accident service"),
    ("2025", "Created", "Smara Traffic-Accident Service", "Traffic-accident service"),
    (
        "2025",
        "Created",
        "Agadir Wilaya Command and Coordination Centre",
        "Command and coordination centre",
    ),
    ("2025", "Created", "Marrakech Tourist Police CCTV Control Room", "CCTV control room"),
    ("2025", "Created", "Taza Mobile Motorcycle Squad", "Mobile motorcycle squad"),
    ("2025", "Created", "Salé Provincial Security Tourist Squad", "Tourist squad"),
    (
        "2025-12",
        "Created",
        "Higher Institute of Security Sciences, Ifrane",
        "Police training institute",
    ),
    ("2025", "Created", "Marrakech Police Training School", "Police training school"),
}


def _unit_history(year: int) -> tuple[list[list[str]], str]:
    """Lines of `amn unit-history --year YEAR`, split on " — ", and the closing count line."""
    out = io.StringIO()
    call_command("unit-history", "--year", str(year), stdout=out)
    *lines, total = out.getvalue().splitlines()
    return [line.split(" — ") for line in lines], total


def test_unit_history_lists_the_fourteen_changes_of_2025_and_only_in_2025(demo_data):
    changes, total = _unit_history(2025)

    assert total.split()[:1] == ["14"]
    assert total.rstrip(".").endswith(" in 2025")
    assert {tuple(parts[:4]) for parts in changes} == CHANGES_2025
    assert len(changes) == len(CHANGES_2025)
    assert all(parts[-1] == RELEASE for parts in changes)
    moved = next(parts for parts in changes if parts[1] == "Moved")
    assert "New headquarters of the Khouribga 1st police district" in moved[4]
    assert changes[-1][0] == "2025-12"  # the Ifrane institute, known to the month, comes last

    _before, total_2024 = _unit_history(2024)
    assert total_2024.split()[:1] == ["0"]


def test_units_without_a_founding_date_keep_it_unknown_and_their_names_of_the_time(demo_data):
    created = UnitEvent.objects.filter(kind="created", unit__code="cr-tikiouine").get()
    assert (created.effective_on, created.date_precision) == (None, "unknown")
    # Upgraded in 2025, so the creation record still names the regional commissariat.
    assert created.name_en == "Tikiouine Regional Commissariat"
    assert OrgUnit.objects.get(code="cr-tikiouine").name_en == "Tikiouine Provincial Security Area"
    assert UnitEvent.objects.filter(effective_on=None).count() == 28


def _demo_state() -> list:
    return [
        list(OrgUnit.objects.order_by("code").values_list()),
        list(UnitEvent.objects.order_by("id").values_list()),
        list(get_user_model().objects.order_by("username").values_list("username", "email")),
        list(Person.objects.order_by("cnie_number").values_list("cnie_number")),
    ]


def test_load_demo_twice_changes_nothing(demo_data):
    before = _demo_state()
    out = io.StringIO()

    call_command("load-demo", stdout=out)

    assert "police units: already loaded" in out.getvalue()
    assert _demo_state() == before
    assert len(before[0]) == 38
    assert len(before[1]) == 42
