"""Writes of the police-unit tree: each change is one dated UnitEvent; refusals write nothing."""

import datetime

import pytest
from django.utils import translation

from amn.core.errors import DomainError
from amn.orgunits import services
from amn.orgunits.choices import DatePrecision, UnitEventKind, UnitStatus
from amn.orgunits.models import OrgUnit, UnitEvent
from amn.orgunits.selectors import unit_subtree
from amn.orgunits.tests.factories import DAY_2024, DAY_2025, DECISION, unit_create


def _event_row(event: UnitEvent) -> dict:
    return {
        "unit": event.unit.code,
        "kind": event.kind,
        "effective_on": event.effective_on,
        "date_precision": event.date_precision,
        "from_type": event.from_type and event.from_type.code,
        "to_type": event.to_type and event.to_type.code,
        "from_parent": event.from_parent and event.from_parent.code,
        "to_parent": event.to_parent and event.to_parent.code,
        "from_commune": event.from_commune and event.from_commune.code,
        "to_commune": event.to_commune and event.to_commune.code,
        "decision_reference": event.decision_reference,
    }


def _parent_code(code: str) -> str:
    return OrgUnit.objects.get_parent(OrgUnit.objects.get(code=code)).code


def _codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def _state() -> list[tuple]:
    """Everything a refused change must leave as it was."""
    return [
        *OrgUnit.objects.order_by("code").values_list(
            "code", "path", "unit_type__code", "commune__code", "status", "name_fr"
        ),
        *UnitEvent.objects.order_by("id").values_list("id", "unit__code", "kind"),
    ]


def test_create_records_a_created_event_and_places_the_unit(units):
    created = UnitEvent.objects.get(unit=units["cr-ait-melloul"])
    assert _event_row(created) == {
        "unit": "cr-ait-melloul",
        "kind": UnitEventKind.CREATED,
        "effective_on": DAY_2024,
        "date_precision": DatePrecision.DAY,
        "from_type": None,
        "to_type": "regional-commissariat",
        "from_parent": None,
        "to_parent": "ws-agadir",
        "from_commune": None,
        "to_commune": "09.273.01.05",
        "decision_reference": DECISION,
    }
    root = UnitEvent.objects.get(unit=units["dgsn"])
    assert (root.to_parent, root.to_type.code) == (None, "directorate-general")
    assert _parent_code("cr-ait-melloul") == "ws-agadir"
    assert units["dgsn"].is_root()


def test_upgrade_records_both_types_and_renames_the_unit(units, types):
    event = services.unit_upgrade(
        actor=None,
        unit=units["cr-ait-melloul"],
        to_type=types["provincial-security-area"],
        effective_on=datetime.date(2025, 1, 1),
        date_precision=DatePrecision.YEAR,
        decision_reference=DECISION,
        new_names={
            "name_fr": "Sûreté provinciale d'Aït Melloul",
            "name_en": "Aït Melloul Provincial Security Area",
            "code": "not-a-name",
        },
    )

    assert _event_row(event) == {
        "unit": "cr-ait-melloul",
        "kind": UnitEventKind.UPGRADED,
        "effective_on": datetime.date(2025, 1, 1),
        "date_precision": DatePrecision.YEAR,
        "from_type": "regional-commissariat",
        "to_type": "provincial-security-area",
        "from_parent": None,
        "to_parent": None,
        "from_commune": None,
        "to_commune": None,
        "decision_reference": DECISION,
    }
    unit = OrgUnit.objects.get(pk=units["cr-ait-melloul"].pk)
    assert unit.unit_type.code == "provincial-security-area"
    assert (unit.code, unit.name_ar, unit.name_fr) == (
        "cr-ait-melloul",
        "وحدة cr-ait-melloul",
        "Sûreté provinciale d'Aït Melloul",
    )


def test_move_to_another_parent_and_seat_carries_the_subtree(units, types, communes):
    unit_create("sp-inezgane", units["ws-agadir"], types["provincial-security-area"], None)
    new_parent = OrgUnit.objects.get(code="sp-inezgane")

    event = services.unit_move(
        actor=None,
        unit=units["cr-ait-melloul"],
        new_parent=new_parent,
        new_commune=communes["agadir"],
        effective_on=DAY_2025,
        decision_reference=DECISION,
    )

    assert _event_row(event) == {
        "unit": "cr-ait-melloul",
        "kind": UnitEventKind.MOVED,
        "effective_on": DAY_2025,
        "date_precision": DatePrecision.DAY,
        "from_type": None,
        "to_type": None,
        "from_parent": "ws-agadir",
        "to_parent": "sp-inezgane",
        "from_commune": "09.273.01.05",
        "to_commune": "09.001.01.01",
        "decision_reference": DECISION,
    }
    moved = OrgUnit.objects.get(code="cr-ait-melloul")
    assert _parent_code("cr-ait-melloul") == "sp-inezgane"
    assert moved.commune == communes["agadir"]
    assert _codes(unit_subtree(unit=OrgUnit.objects.get(code="sp-inezgane"))) == {
        "sp-inezgane",
        "cr-ait-melloul",
        "cr-ait-melloul-d1",
    }
    assert _parent_code("cr-ait-melloul-d1") == "cr-ait-melloul"


def test_new_premises_in_the_same_commune_are_a_move_of_seat_only(units, communes):
    event = services.unit_move(
        actor=None,
        unit=units["ws-agadir-d1"],
        new_commune=communes["agadir"],
        effective_on=DAY_2025,
        decision_reference=DECISION,
        note_en="New headquarters inaugurated",
    )

    row = _event_row(event)
    assert (row["kind"], row["from_parent"], row["to_parent"]) == ("moved", None, None)
    assert (row["from_commune"], row["to_commune"]) == ("09.001.01.01", "09.001.01.01")
    assert event.note_en == "New headquarters inaugurated"
    assert _parent_code("ws-agadir-d1") == "ws-agadir"


def test_close_records_the_event_and_withdraws_the_unit_from_the_public(units):
    unit = units["ws-agadir-d1"]
    unit.serves_public = True
    unit.save()

    event = services.unit_close(
        actor=None, unit=unit, effective_on=DAY_2025, decision_reference=DECISION
    )

    assert (event.kind, event.decision_reference, event.effective_on) == (
        UnitEventKind.CLOSED,
        DECISION,
        DAY_2025,
    )
    unit.refresh_from_db()
    assert (unit.status, unit.serves_public) == (UnitStatus.CLOSED, False)


def test_unit_subtree_follows_the_materialised_path(units):
    assert _codes(unit_subtree(unit=units["ws-agadir"])) == {
        "ws-agadir",
        "cr-ait-melloul",
        "cr-ait-melloul-d1",
        "ws-agadir-d1",
        "ws-agadir-d2",
    }
    assert _codes(unit_subtree(unit=units["cr-ait-melloul-d1"])) == {"cr-ait-melloul-d1"}
    assert len(_codes(unit_subtree(unit=units["dgsn"]))) == OrgUnit.objects.count() == 7


def _duplicate_code(units, types, communes):
    unit_create("ws-agadir", units["dgsn"], types["security-wilaya"], communes["agadir"])


def _upgrade_to_same_type(units, types, communes):
    services.unit_upgrade(
        actor=None,
        unit=units["ws-agadir"],
        to_type=types["security-wilaya"],
        effective_on=DAY_2025,
        decision_reference=DECISION,
    )


def _upgrade_before_creation(units, types, communes):
    services.unit_upgrade(
        actor=None,
        unit=units["cr-ait-melloul"],
        to_type=types["provincial-security-area"],
        effective_on=DAY_2024 - datetime.timedelta(days=1),
        decision_reference=DECISION,
    )


def _move(unit, **changes):
    return lambda units, types, communes: services.unit_move(
        actor=None,
        unit=units[unit],
        effective_on=DAY_2025,
        decision_reference=DECISION,
        **{
            name: units[value] if name == "new_parent" else communes[value]
            for name, value in changes.items()
        },
    )


def _close(unit):
    return lambda units, types, communes: services.unit_close(
        actor=None, unit=units[unit], effective_on=DAY_2025, decision_reference=DECISION
    )


def _upgrade_closed(units, types, communes):
    services.unit_upgrade(
        actor=None,
        unit=units["ws-agadir-d2"],
        to_type=types["regional-commissariat"],
        effective_on=DAY_2025,
        decision_reference=DECISION,
    )


def _create_under_closed(units, types, communes):
    unit_create("ws-agadir-d2-annex", units["ws-agadir-d2"], types["police-district"], None)


@pytest.mark.parametrize(
    ("refused", "message"),
    [
        pytest.param(_duplicate_code, "already exists", id="duplicate-code"),
        pytest.param(_upgrade_to_same_type, "already has this type", id="upgrade-same-type"),
        pytest.param(_upgrade_before_creation, "before the unit's last change", id="date-early"),
        pytest.param(_move("ws-agadir", new_parent="ws-agadir"), "under itself", id="move-self"),
        pytest.param(
            _move("ws-agadir", new_parent="cr-ait-melloul-d1"), "own sub-units", id="move-below"
        ),
        pytest.param(_move("ws-agadir"), "needs a new parent unit or a new seat", id="move-none"),
        pytest.param(_close("ws-agadir"), "open sub-units first", id="close-open-children"),
        pytest.param(_upgrade_closed, "is closed", id="upgrade-closed"),
        pytest.param(_move("ws-agadir-d2", new_commune="agadir"), "is closed", id="move-closed"),
        pytest.param(_close("ws-agadir-d2"), "is closed", id="close-closed"),
        pytest.param(_create_under_closed, "is closed", id="create-under-closed"),
        pytest.param(
            _move("ws-agadir-d1", new_parent="ws-agadir-d2"), "is closed", id="move-under-closed"
        ),
    ],
)
def test_refused_changes_raise_domain_error_and_write_nothing(
    units, types, communes, refused, message
):
    before = _state()

    with translation.override("en"), pytest.raises(DomainError, match=message):
        refused(units, types, communes)

    assert _state() == before


def test_close_succeeds_once_the_sub_units_are_closed(units):
    for code in ("cr-ait-melloul-d1", "cr-ait-melloul", "ws-agadir-d1"):
        services.unit_close(
            actor=None, unit=units[code], effective_on=DAY_2025, decision_reference=DECISION
        )

    services.unit_close(
        actor=None, unit=units["ws-agadir"], effective_on=DAY_2025, decision_reference=DECISION
    )

    assert set(OrgUnit.objects.filter(status=UnitStatus.ACTIVE).values_list("code", flat=True)) == {
        "dgsn",
        "ws-fes",
    }
