"""Fixtures of the contract suites (authorisation matrix, API fuzzing, bad input at the edges).

`demo_world` loads the reference data and every app's demo data (`amn load-reference`,
`amn load-demo`) once for the whole package, inside a transaction held open until the last
contract test is done and then rolled back. Each test runs in a savepoint inside it
(pytest-django's `db`), so tests see the same rows and cannot leak changes to each other.
"""

import os

import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="package")
def demo_world(django_db_setup, django_db_blocker):
    """The database as `amn load-reference && amn load-demo` leaves it (see module doc)."""
    from django.core.management import call_command

    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with open(os.devnull, "w") as quiet:
                call_command("load-reference", stdout=quiet)
                call_command("load-demo", stdout=quiet)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(demo_world, db):
    """A test's view of the demo world (a savepoint inside the package's transaction)."""
