"""Account invariants held by the database and the account services."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from amn.accounts.choices import Role
from amn.accounts.models import User
from amn.accounts.services import staff_account_create
from amn.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.CITIZEN])
def test_staff_has_unit_refuses_a_staff_user_without_unit(world, role):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username=f"nounit.{role}", role=role, unit=None)


def test_staff_has_unit_refuses_a_citizen_with_a_unit(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="citizen.unit", role=Role.CITIZEN, unit=world.units["ws-fes"])


def test_staff_has_unit_refuses_moving_a_staff_user_out_of_any_unit(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(username="agent.fes").update(unit=None)


def test_staff_has_unit_accepts_the_valid_pairs(world):
    User.objects.create(username="staff.ok", role=Role.ANALYST, unit=world.units["ws-fes"])
    User.objects.create(username="citizen.ok", role=Role.CITIZEN, unit=None)

    assert User.objects.filter(username__in=["staff.ok", "citizen.ok"]).count() == 2


def test_staff_account_create_gives_admin_site_to_administrators_only(world):
    assert world.users["admin"].is_staff and world.users["admin"].is_superuser
    agent = world.users["agent.fes"]
    assert not agent.is_staff and not agent.is_superuser
    assert agent.is_staff_member
    assert not world.users["citizen@example.ma"].is_staff_member


@pytest.mark.parametrize(
    ("username", "role", "unit_code"),
    [
        ("new.citizen", Role.CITIZEN, "ws-fes"),
        ("new.nobody", "chief", "ws-fes"),
        ("new.nounit", Role.ANALYST, None),
        ("agent.fes", Role.ANALYST, "ws-fes"),  # taken
    ],
)
def test_staff_account_create_refuses(world, username, role, unit_code):
    unit = world.units[unit_code] if unit_code else None

    with pytest.raises(DomainError):
        staff_account_create(
            actor=None, username=username, password="x-long-passphrase", role=role, unit=unit
        )


def test_clean_normalises_the_phone_as_sign_in_does():
    user = User(username="x", phone="06 12-34 56 78")
    user.clean()
    assert user.phone == "+212612345678"


def test_clean_refuses_a_phone_sign_in_would_never_match():
    with pytest.raises(ValidationError) as refused:
        User(username="x", phone="12345").clean()
    assert "phone" in refused.value.message_dict
