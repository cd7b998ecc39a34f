"""The audit trail: read events of person records, append-only storage, django-auditlog."""

import json
import uuid

import pytest
from auditlog.models import LogEntry
from django.db import transaction

from amn.access.tests.factories import (
    AGADIR_D1_PERSON,
    FES_D1_PERSON,
    FES_D1_YEAR_ONLY_PERSON,
)
from amn.accounts.models import User
from amn.audit.models import AppendOnlyError, AuditEvent
from amn.audit.services import audit_event_record
from amn.orgunits.models import OrgUnit
from amn.people.services import person_create

pytestmark = pytest.mark.django_db


def _detail_url(person) -> str:
    return f"/staff/people/{person.id}/"


@pytest.fixture
def event(world):
    return audit_event_record(
        actor=world.users["analyst.hq"], action="view", target=world.persons[FES_D1_PERSON]
    )


# --- read events ----------------------------------------------------------------------------


def test_staff_read_writes_exactly_one_view_event(world, client):
    person = world.persons[FES_D1_PERSON]
    agent = world.users["agent.fes"]
    client.force_login(agent)
    before = set(AuditEvent.objects.values_list("id", flat=True))

    response = client.get(_detail_url(person))

    assert response.status_code == 200
    new = AuditEvent.objects.exclude(id__in=before)
    assert new.count() == 1
    event = new.get()
    assert event.action == "view"
    assert event.target == "people.person"
    assert event.target_id == str(person.id)
    assert event.actor == agent
    assert event.actor_unit == world.units["ws-fes-d1"]
    assert event.ip_address == "127.0.0.1"
    assert event.request_id
    assert event.request_id == response["X-Request-ID"]
    assert uuid.UUID(event.request_id)


def test_every_request_gets_its_own_request_id(world, client):
    person = world.persons[FES_D1_PERSON]
    client.force_login(world.users["agent.fes"])

    first = client.get(_detail_url(person))
    second = client.get(_detail_url(person))

    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert set(
        AuditEvent.objects.filter(target_id=str(person.id)).values_list("request_id", flat=True)
    ) == {first["X-Request-ID"], second["X-Request-ID"]}


def test_ip_address_is_remote_addr_and_a_forwarded_header_is_not_trusted(world, client):
    person = world.persons[FES_D1_PERSON]
    client.force_login(world.users["agent.fes"])

    client.get(_detail_url(person), REMOTE_ADDR="10.20.30.40", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert AuditEvent.objects.get(target_id=str(person.id)).ip_address == "10.20.30.40"


def test_out_of_scope_attempt_writes_denied_events_only(world, client):
    person = world.persons[FES_D1_PERSON]
    client.force_login(world.users["agent.agadir"])

    page = client.get(_detail_url(person))
    api = client.get(f"/api/v1/people/{person.id}")

    assert (page.status_code, api.status_code) == (404, 404)
    refusals = AuditEvent.objects.filter(target_id=str(person.id))
    assert list(refusals.values_list("action", flat=True)) == ["denied", "denied"]
    assert not AuditEvent.objects.filter(action="view").exists()


def test_people_list_writes_one_list_event(world, client):
    client.force_login(world.users["agent.agadir"])

    response = client.get("/staff/people/")

    event = AuditEvent.objects.get()
    assert (event.action, event.target, event.target_id) == ("list", "people.person", "")
    assert event.detail == {"page": 1, "shown": 1}
    assert event.actor_unit == world.units["ws-agadir-d1"]
    assert event.request_id == response["X-Request-ID"]


def test_audit_events_never_hold_names_or_cnie_numbers(world, client):
    client.force_login(world.users["admin"])
    client.get("/staff/people/")
    client.get("/staff/")
    for person in world.persons.values():
        client.get(_detail_url(person))
        client.get(f"/api/v1/people/{person.id}")

    events = list(AuditEvent.objects.all())
    assert len(events) == 1 + 2 * len(world.persons)
    trail = json.dumps(
        [[e.target, e.target_id, e.reason, e.detail, str(e)] for e in events], ensure_ascii=False
    ).lower()
    for cnie, person in world.persons.items():
        assert str(person.id) in trail
        for value in (
            cnie,
            person.family_name_ar,
            person.given_name_ar,
            person.family_name_latin,
            person.given_name_latin,
        ):
            assert value.lower() not in trail


def test_record_outside_a_request_has_no_ip_nor_request_id(world):
    event = audit_event_record(actor=None, action="bulk_load", target="people.person")

    assert (event.actor, event.actor_unit, event.ip_address, event.request_id) == (
        None,
        None,
        None,
        "",
    )


def test_record_refuses_an_unknown_action(world):
    with pytest.raises(ValueError):
        audit_event_record(actor=None, action="erase", target="people.person")


# --- append-only ----------------------------------------------------------------------------


def test_saved_event_cannot_be_saved_again(event):
    event.reason = "tampered"

    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_reloaded_event_cannot_be_saved(event):
    reloaded = AuditEvent.objects.get(pk=event.pk)
    reloaded.action = "list"

    with pytest.raises(AppendOnlyError):
        reloaded.save(update_fields=["action"])
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(target_id="")
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_queryset_delete_is_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_is_refused(event):
    event.reason = "tampered"

    with pytest.raises(AppendOnlyError), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["reason"])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_forced_update_through_a_new_instance_is_refused(event):
    """BUG: a fresh instance carrying an existing id is `_state.adding`, so save() lets a
    forced UPDATE through and rewrites the stored event."""
    forged = AuditEvent(
        id=event.id,
        at=event.at,
        action="list",
        target="people.person",
        target_id="",
        reason="tampered",
    )

    with pytest.raises(AppendOnlyError), transaction.atomic():
        forged.save(force_update=True)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.action, stored.reason) == ("view", "")


# --- Django admin ---------------------------------------------------------------------------


@pytest.fixture
def admin_client(world, client):
    admin = world.users["admin"]
    assert admin.is_superuser
    client.force_login(admin)
    return client


def test_admin_lists_audit_events(event, admin_client):
    response = admin_client.get("/admin/audit/auditevent/")

    assert response.status_code == 200
    assert str(event.target_id) in response.content.decode()


def test_admin_change_form_is_read_only(event, world, admin_client):
    url = f"/admin/audit/auditevent/{event.pk}/change/"

    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"action": "list", "target": "people.person", "reason": "tampered"}
    )

    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_admin_cannot_delete_or_add(event, admin_client):
    delete_url = f"/admin/audit/auditevent/{event.pk}/delete/"

    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403
    admin_client.post(
        "/admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [str(event.pk)], "post": "yes"},
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- django-auditlog: field changes of domain records ---------------------------------------


def test_unit_save_writes_a_log_entry_with_the_changed_fields(world):
    unit = OrgUnit.objects.get(code="ws-fes-d1")
    old_name = unit.name_fr
    unit.name_fr = "Arrondissement de police Fès-Médina"
    unit.phone = "0535000000"
    unit.save()

    entry = LogEntry.objects.get_for_object(unit).filter(action=LogEntry.Action.UPDATE).get()
    assert set(entry.changes_dict) == {"name_fr", "phone"}
    assert entry.changes_dict["name_fr"] == [old_name, "Arrondissement de police Fès-Médina"]


def test_unit_creation_is_logged(world):
    unit = world.units["ws-agadir-d1"]

    entry = LogEntry.objects.get_for_object(unit).get(action=LogEntry.Action.CREATE)

    assert entry.changes_dict["code"][1] == "ws-agadir-d1"


def test_admin_change_of_a_user_is_logged_with_actor_and_ip(world, admin_client):
    target = User.objects.get(username="agent.fes")
    url = f"/admin/accounts/user/{target.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form.initial.get(name, field.initial)
        value = field.prepare_value(value) if value is not None else ""
        if name in ("groups", "user_permissions"):
            data[name] = list(value or [])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif name in ("last_login", "date_joined"):
            data[f"{name}_0"], data[f"{name}_1"] = (
                (value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")) if value else ("", "")
            )
        else:
            data[name] = value
    data["grade"] = "Inspecteur principal"

    response = admin_client.post(url, data, HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = LogEntry.objects.get_for_object(target).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["grade"] == ["", "Inspecteur principal"]
    assert "password" not in entry.changes_dict
    assert entry.actor == world.users["admin"]
    assert entry.remote_addr == "127.0.0.1"  # REMOTE_ADDR, not the client-supplied header
    assert entry.cid == response["X-Request-ID"]


def test_user_password_is_never_in_the_change_log(world):
    user = User.objects.get(username="agent.fes")
    user.set_password("a-new-secret-2026")
    user.save()
    user.first_name = "Salma-Zahra"
    user.set_password("another-secret-2026")
    user.save()

    entries = LogEntry.objects.get_for_object(user)
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    update = entries.get(action=LogEntry.Action.UPDATE)
    assert set(update.changes_dict) == {"first_name"}
    for entry in entries:
        assert "password" not in entry.changes_dict
        assert user.password not in json.dumps(entry.changes)
        assert user.password not in entry.changes_text


def test_person_create_is_logged_by_auditlog(world):
    person = person_create(
        actor=world.users["agent.fes"],
        recorded_by=world.units["ws-fes-d1"],
        family_name_latin="Idrissi",
        birth_year=1960,
    )

    entry = LogEntry.objects.get_for_object(person).get()
    assert entry.action == LogEntry.Action.CREATE
    assert str(entry.changes_dict["birth_year"][1]) == "1960"


def test_fixture_persons_are_in_place(world):
    """Guards the tests above against an empty world (they would pass vacuously)."""
    assert {FES_D1_PERSON, FES_D1_YEAR_ONLY_PERSON, AGADIR_D1_PERSON} <= set(world.persons)
