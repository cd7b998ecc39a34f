"""Seizures and dismantled criminal networks: the services' rules (each refusal names its
field, nothing half-written), the back-office entry forms and lists, and their permission
matrix (anonymous, no role, other unit, own unit, national role)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from amn.audit.models import AuditEvent
from amn.cases.models import CriminalNetwork, Seizure
from amn.cases.services import (
    RefusedValue,
    network_record,
    seizure_custody_update,
    seizure_record,
)
from amn.cases.tests.scoped_cases import AGADIR_BURGLARY, FES_DRUGS, FES_ROBBERY, RABAT_ASSAULT

pytestmark = pytest.mark.django_db

D = datetime.date
STAFF_LOGIN = "/accounts/staff/login/"
LIST_URLS = ("/staff/cases/seizures/", "/staff/cases/networks/")
NEW_URLS = ("/staff/cases/seizures/new/", "/staff/cases/networks/new/")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"


@pytest.fixture
def seizures(world, scoped_cases):
    """One seizure in Fès (with its case), one in Agadir (without case)."""
    units = world.units
    return {
        "fes": seizure_record(
            actor=None,
            substance="cannabis_resin",
            quantity=Decimal("2500"),
            quantity_unit="g",
            seized_on=D(2025, 6, 14),
            seized_by_id=units["ws-fes-d1"].pk,
            case=scoped_cases.cases[FES_DRUGS],
            stored_at="Fès wilaya store",
        ),
        "agadir": seizure_record(
            actor=None,
            substance="cocaine",
            quantity=Decimal("1.5"),
            quantity_unit="kg",
            seized_on=D(2025, 7, 1),
            seized_by_id=units["ws-agadir-d1"].pk,
        ),
    }


@pytest.fixture
def networks(world, scoped_cases):
    return {
        "fes": network_record(
            actor=None,
            kind="drug_trafficking",
            unit_id=world.units["ws-fes"].pk,
            dismantled_on=D(2025, 6, 20),
            members_arrested=4,
            cases=[scoped_cases.cases[FES_DRUGS]],
        ),
        "agadir": network_record(
            actor=None,
            kind="migration_smuggling",
            unit_id=world.units["ws-agadir-d1"].pk,
            dismantled_on=D(2025, 8, 2),
            members_arrested=7,
        ),
    }


def seizure_input(world, **changes) -> dict:
    data = {
        "substance": "cannabis_resin",
        "quantity": Decimal("12.5"),
        "quantity_unit": "kg",
        "seized_on": D(2025, 5, 2),
        "seized_by_id": world.units["ws-fes-d1"].pk,
    }
    return data | changes


# -- services -------------------------------------------------------------------------------


def test_a_seizure_is_converted_to_the_standard_unit_with_its_custody(world, scoped_cases):
    case = scoped_cases.cases[FES_DRUGS]

    seizure = seizure_record(
        actor=world.users["officer.fes"],
        **seizure_input(world, quantity=Decimal("2500"), quantity_unit="g"),
        case=case,
        stored_at="Store 3",
        destroyed_on=D(2025, 9, 1),
    )

    seizure.refresh_from_db()
    assert seizure.standard_quantity == Decimal("2.5")
    assert (seizure.case_id, seizure.stored_at, seizure.destroyed_on) == (
        case.pk,
        "Store 3",
        D(2025, 9, 1),
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quantity": Decimal("-3")}, "quantity", "positive number"),
        ({"quantity": Decimal("0")}, "quantity", "positive number"),
        ({"quantity_unit": "pounds"}, "quantity_unit", "Unknown unit 'pounds'"),
        ({"quantity_unit": "tablets"}, "quantity_unit", "not recorded in tablets"),
        ({"substance": "glue"}, "substance", "Unknown substance"),
        ({"destroyed_on": D(2025, 5, 1)}, "destroyed_on", "destroyed before it was seized"),
        ({"seized_on": D(2999, 1, 1)}, "seized_on", "in the future"),
        ({"destroyed_on": D(2999, 1, 1)}, "destroyed_on", "in the future"),
        ({"seized_by_key": "ws-rabat-d1"}, "seized_by", "one of your units"),
        ({"case_key": AGADIR_BURGLARY}, "case", "recorded by one of your units"),
    ],
)
@translation.override("en")
def test_a_refused_seizure_names_its_field_and_saves_nothing(
    world, scoped_cases, changes, field, message
):
    changes = dict(changes)
    if "seized_by_key" in changes:
        changes["seized_by_id"] = world.units[changes.pop("seized_by_key")].pk
    if "case_key" in changes:
        changes["case"] = scoped_cases.cases[changes.pop("case_key")]
    before = Seizure.objects.count()

    with pytest.raises(RefusedValue, match=message) as refused:
        seizure_record(actor=world.users["officer.fes"], **seizure_input(world, **changes))

    assert refused.value.field == field
    assert Seizure.objects.count() == before


@pytest.mark.parametrize("username", ["analyst.hq", "agent.fes", "citizen@example.ma"])
def test_roles_that_do_not_record_cases_cannot_record_seizures(world, username):
    with pytest.raises(PermissionDenied):
        seizure_record(actor=world.users[username], **seizure_input(world))
    assert not Seizure.objects.exists()


def test_the_custody_chain_is_completed_later(world, seizures):
    seizure = seizure_custody_update(
        actor=world.users["officer.fes"],
        seizure=seizures["fes"],
        stored_at="Court registry",
        destroyed_on=D(2025, 10, 3),
    )

    seizure.refresh_from_db()
    assert (seizure.stored_at, seizure.destroyed_on) == ("Court registry", D(2025, 10, 3))


@translation.override("en")
def test_custody_refuses_a_destruction_before_the_seizure_and_other_units(world, seizures):
    with pytest.raises(RefusedValue, match="destroyed before") as refused:
        seizure_custody_update(
            actor=world.users["officer.fes"],
            seizure=seizures["fes"],
            stored_at="",
            destroyed_on=D(2025, 6, 13),
        )
    assert refused.value.field == "destroyed_on"
    with pytest.raises(PermissionDenied):
        seizure_custody_update(
            actor=world.users["officer.fes"],
            seizure=seizures["agadir"],
            stored_at="x",
            destroyed_on=None,
        )
    seizures["fes"].refresh_from_db()
    assert seizures["fes"].destroyed_on is None


def test_a_network_links_its_cases_and_gets_a_reference(world, scoped_cases):
    cases = [scoped_cases.cases[FES_DRUGS], scoped_cases.cases[FES_ROBBERY]]

    network = network_record(
        actor=world.users["officer.fes"],
        kind="migration_smuggling",
        unit_id=world.units["ws-fes"].pk,
        dismantled_on=D(2025, 4, 2),
        members_arrested=3,
        cases=cases,
    )

    assert network.reference.startswith("RC-2025-")
    assert set(network.cases.all()) == set(cases)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"members_arrested": -1}, "members_arrested", "cannot be negative"),
        ({"kind": "book_club"}, "kind", "Unknown network type"),
        ({"dismantled_on": D(2999, 1, 1)}, "dismantled_on", "in the future"),
        ({"unit_key": "ws-agadir-d1"}, "unit", "one of your units"),
        ({"case_keys": [FES_DRUGS, RABAT_ASSAULT]}, "cases", "recorded by one of your units"),
    ],
)
@translation.override("en")
def test_a_refused_network_names_its_field_and_saves_nothing(
    world, scoped_cases, changes, field, message
):
    data = {
        "kind": "drug_trafficking",
        "unit_id": world.units["ws-fes"].pk,
        "dismantled_on": D(2025, 4, 2),
        "members_arrested": 2,
    }
    changes = dict(changes)
    if "unit_key" in changes:
        data["unit_id"] = world.units[changes.pop("unit_key")].pk
    if "case_keys" in changes:
        data["cases"] = [scoped_cases.cases[key] for key in changes.pop("case_keys")]

    with pytest.raises(RefusedValue, match=message) as refused:
        network_record(actor=world.users["officer.fes"], **(data | changes))

    assert refused.value.field == field
    assert not CriminalNetwork.objects.exists()


def test_analysts_cannot_record_networks(world):
    with pytest.raises(PermissionDenied):
        network_record(
            actor=world.users["analyst.hq"],
            kind="fraud",
            unit_id=world.units["ws-fes"].pk,
            dismantled_on=D(2025, 4, 2),
            members_arrested=1,
        )


# -- pages: permission matrix ---------------------------------------------------------------


def test_anonymous_is_sent_to_the_staff_login(client, seizures):
    urls = [*LIST_URLS, *NEW_URLS, f"/staff/cases/seizures/{seizures['fes'].pk}/custody/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{STAFF_LOGIN}?next={url}"


@pytest.mark.parametrize("username", ["citizen@example.ma", "agent.fes", "hr.rabat"])
def test_staff_without_case_access_are_refused(world, client, seizures, username):
    client.force_login(world.users[username])
    urls = [*LIST_URLS, *NEW_URLS, f"/staff/cases/seizures/{seizures['fes'].pk}/custody/"]

    for url in urls:
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize(
    ("username", "shown"),
    [
        ("officer.fes", {"fes"}),  # own unit's subtree
        ("supervisor.rabat", set()),  # another unit
        ("analyst.fes", {"fes"}),  # a wilaya analyst reads its subtree
        ("admin", {"fes", "agadir"}),  # national roles
        ("analyst.hq", {"fes", "agadir"}),
    ],
)
def test_lists_show_the_records_of_the_actor_units(
    world, client, seizures, networks, username, shown
):
    client.force_login(world.users[username])

    listed = client.get("/staff/cases/seizures/").context["page"].object_list
    assert {key for key, s in seizures.items() if s in listed} == shown
    listed = client.get("/staff/cases/networks/").context["page"].object_list
    assert {key for key, n in networks.items() if n in listed} == shown
    events = AuditEvent.objects.filter(actor=world.users[username], action="list")
    assert set(events.values_list("target", flat=True)) == {
        "cases.seizure",
        "cases.criminalnetwork",
    }


@pytest.mark.parametrize(
    ("username", "status"),
    [("officer.fes", 200), ("supervisor.rabat", 200), ("admin", 200), ("analyst.hq", 403)],
)
def test_entry_forms_are_for_case_writers(world, client, username, status):
    client.force_login(world.users[username])

    for url in NEW_URLS:
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(
    ("username", "key", "status"),
    [
        ("officer.fes", "fes", 200),
        ("officer.fes", "agadir", 404),  # another unit: as if absent
        ("supervisor.rabat", "fes", 404),
        ("admin", "agadir", 200),
        ("analyst.hq", "fes", 403),  # reads, does not write
    ],
)
def test_custody_page_matrix(world, client, seizures, username, key, status):
    client.force_login(world.users[username])

    url = f"/staff/cases/seizures/{seizures[key].pk}/custody/"
    assert client.get(url).status_code == status


def test_readers_who_do_not_write_see_no_entry_links(world, client, seizures, networks):
    client.force_login(world.users["analyst.hq"])

    assert "/staff/cases/seizures/new/" not in client.get(LIST_URLS[0]).content.decode()
    assert "/staff/cases/networks/new/" not in client.get(LIST_URLS[1]).content.decode()


# -- pages: entry and validation -----------------------------------------------------------


def seizure_post(world, **changes) -> dict:
    data = {
        "case": "",
        "substance": "cannabis_resin",
        "quantity": "12.5",
        "quantity_unit": "kg",
        "seized_on": "2025-05-02",
        "seized_by": str(world.units["ws-fes-d1"].pk),
        "stored_at": "  Fès   store ",
        "destroyed_on": "",
    }
    return data | changes


def test_a_seizure_entered_with_its_case_reference_goes_to_the_case_page(
    world, scoped_cases, client, english
):
    case = scoped_cases.cases[FES_DRUGS]
    client.force_login(world.users["officer.fes"])

    response = client.post(
        "/staff/cases/seizures/new/", seizure_post(world, case=case.reference.lower())
    )

    assert response.status_code == 302
    assert response.url == f"/staff/cases/{case.pk}/"
    seizure = Seizure.objects.get()
    assert (seizure.case_id, seizure.standard_quantity, seizure.stored_at) == (
        case.pk,
        Decimal("12.5"),
        "Fès store",
    )
    assert "Cannabis resin (chira)" in client.get(response.url).content.decode()


def test_the_case_page_offers_a_seizure_form_prefilled_with_its_case(world, scoped_cases, client):
    case = scoped_cases.cases[FES_DRUGS]
    client.force_login(world.users["officer.fes"])

    assert (
        f"/staff/cases/seizures/new/?case={case.pk}"
        in client.get(f"/staff/cases/{case.pk}/").content.decode()
    )
    response = client.get(f"/staff/cases/seizures/new/?case={case.pk}")
    assert response.context["form"]["case"].value() == case.reference
    other = scoped_cases.cases[AGADIR_BURGLARY]
    assert client.get(f"/staff/cases/seizures/new/?case={other.pk}").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quantity": "-4"}, "quantity", "A quantity must be a positive number, not -4."),
        ({"quantity": "abc"}, "quantity", "Enter a number."),
        ({"quantity_unit": "pounds"}, "quantity_unit", "Select a valid choice."),
        ({"quantity_unit": "tablets"}, "quantity_unit", "is not recorded in tablets: use t, kg, g"),
        (
            {"destroyed_on": "2025-05-01"},
            "destroyed_on",
            "A seizure cannot be destroyed before it was seized.",
        ),
        ({"seized_on": "2999-01-01"}, "seized_on", "This date is in the future"),
        ({"case": "CJ-2025-999999"}, "case", "No case CJ-2025-999999 in your units."),
        ({"seized_by": "999999"}, "seized_by", "Select a valid choice."),
    ],
)
def test_a_refused_seizure_shows_the_reason_on_its_field(
    world, scoped_cases, client, english, changes, field, message
):
    client.force_login(world.users["officer.fes"])

    response = client.post("/staff/cases/seizures/new/", seizure_post(world, **changes))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert message.split(":")[0].split(" in your")[0] in response.content.decode()
    assert not Seizure.objects.exists()


def test_a_case_of_another_unit_is_refused_like_an_unknown_one(
    world, scoped_cases, client, english
):
    other = scoped_cases.cases[AGADIR_BURGLARY]
    client.force_login(world.users["officer.fes"])

    response = client.post("/staff/cases/seizures/new/", seizure_post(world, case=other.reference))

    assert response.context["form"].errors["case"] == [f"No case {other.reference} in your units."]
    assert not Seizure.objects.exists()


def test_the_custody_form_records_the_destruction(world, client, seizures, english):
    client.force_login(world.users["officer.fes"])
    url = f"/staff/cases/seizures/{seizures['fes'].pk}/custody/"

    refused = client.post(url, {"stored_at": "Store", "destroyed_on": "2025-06-01"})
    assert "destroyed before it was seized" in refused.context["form"].errors["destroyed_on"][0]
    response = client.post(url, {"stored_at": "Court registry", "destroyed_on": "2025-10-03"})

    assert response.status_code == 302
    seizures["fes"].refresh_from_db()
    assert (seizures["fes"].stored_at, seizures["fes"].destroyed_on) == (
        "Court registry",
        D(2025, 10, 3),
    )


def network_post(world, **changes) -> dict:
    data = {
        "kind": "migration_smuggling",
        "unit": str(world.units["ws-fes"].pk),
        "dismantled_on": "2025-04-02",
        "members_arrested": "5",
        "cases": "",
    }
    return data | changes


def test_a_network_entered_with_its_cases(world, scoped_cases, client, english):
    drugs, robbery = scoped_cases.cases[FES_DRUGS], scoped_cases.cases[FES_ROBBERY]
    client.force_login(world.users["officer.fes"])

    response = client.post(
        "/staff/cases/networks/new/",
        network_post(world, cases=f"{drugs.reference}, {robbery.reference.lower()}\n"),
    )

    assert response.status_code == 302
    network = CriminalNetwork.objects.get()
    assert (network.kind, network.members_arrested) == ("migration_smuggling", 5)
    assert set(network.cases.all()) == {drugs, robbery}
    listed = client.get("/staff/cases/networks/").content.decode()
    assert network.reference in listed and drugs.reference in listed


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"members_arrested": "-2"}, "members_arrested", "cannot be negative"),
        ({"members_arrested": ""}, "members_arrested", "This field is required."),
        ({"kind": "book_club"}, "kind", "Select a valid choice."),
        ({"dismantled_on": "2999-01-01"}, "dismantled_on", "in the future"),
        ({"dismantled_on": "2025-02-30"}, "dismantled_on", "Enter a valid date."),
        ({"cases": "CJ-2025-999999"}, "cases", "No case CJ-2025-999999 in your units."),
    ],
)
def test_a_refused_network_shows_the_reason_on_its_field(
    world, scoped_cases, client, english, changes, field, message
):
    client.force_login(world.users["officer.fes"])

    response = client.post("/staff/cases/networks/new/", network_post(world, **changes))

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not CriminalNetwork.objects.exists()


def test_a_network_cannot_link_cases_of_other_units(world, scoped_cases, client, english):
    rabat = scoped_cases.cases[RABAT_ASSAULT]
    client.force_login(world.users["officer.fes"])

    response = client.post("/staff/cases/networks/new/", network_post(world, cases=rabat.reference))

    assert response.context["form"].errors["cases"] == [f"No case {rabat.reference} in your units."]
    assert not CriminalNetwork.objects.exists()


def test_dates_are_checked_against_today_in_casablanca(world):
    today = timezone.localdate()
    network = network_record(
        actor=None,
        kind="fraud",
        unit_id=world.units["ws-fes"].pk,
        dismantled_on=today,
        members_arrested=0,
    )
    assert network.dismantled_on == today
