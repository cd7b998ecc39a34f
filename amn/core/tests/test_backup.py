"""Backup and restore drill: a backup restored into a fresh database holds the same rows
(count and checksum per table) and an intact audit chain."""

import uuid

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.utils import load_backend

from amn.audit.chain import chain_verify
from amn.audit.services import audit_event_record
from amn.core.backup import database_backup, database_fingerprint, database_restore
from amn.core.errors import DomainError
from amn.geo.models import Commune

TARGET = "restore_target"


@pytest.fixture
def fresh_database(tmp_path):
    """A second, empty database of the same engine, reachable as connections[TARGET]."""
    default = connections["default"].settings_dict
    if connections["default"].vendor == "postgresql":
        name = f"test_restore_{uuid.uuid4().hex[:12]}"
        admin = dict(host=default["HOST"], port=default["PORT"] or 5432, user=default["USER"])
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    else:
        name = str(tmp_path / "restored.sqlite3")
    # Created by hand, not added to the settings: Django's test case allows such connections.
    wrapper = load_backend(default["ENGINE"]).DatabaseWrapper({**default, "NAME": name}, TARGET)
    connections[TARGET] = wrapper
    yield TARGET
    wrapper.close()
    del connections[TARGET]
    if connections["default"].vendor == "postgresql":
        with psycopg.connect(dbname="postgres", autocommit=True, **admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_fresh_database_gives_the_same_rows_and_an_intact_chain(
    tmp_path, fresh_database
):
    call_command("load-reference")
    for _ in range(3):
        audit_event_record(actor=None, action="list", target="people.person")
    backup = tmp_path / "amn.backup"

    size = database_backup(backup)
    database_restore(backup, using=fresh_database)

    assert size > 0
    original = database_fingerprint()
    restored = database_fingerprint(using=fresh_database)
    assert restored == original
    assert original["geo_commune"][0] == 1503 and original["orgunits_unittype"][0] == 17
    report = chain_verify(using=fresh_database)
    assert report.intact and report.checked >= 3


@pytest.mark.django_db(transaction=True)
def test_fingerprint_changes_when_one_row_changes(fresh_database, tmp_path):
    call_command("load-reference")
    backup = tmp_path / "amn.backup"
    database_backup(backup)
    database_restore(backup, using=fresh_database)
    commune = Commune.objects.using(fresh_database).order_by("code").last()
    commune.name_fr += "x"
    commune.save(using=fresh_database)
    original, restored = database_fingerprint(), database_fingerprint(using=fresh_database)
    changed = [table for table in original if original[table] != restored[table]]
    assert changed == ["geo_commune"]


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    backup = tmp_path / "amn.backup"
    database_backup(backup)
    with pytest.raises(DomainError, match="not empty"):
        database_restore(backup)
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))


def test_backup_refuses_to_overwrite_and_restore_needs_a_file(tmp_path):
    existing = tmp_path / "old.backup"
    existing.write_bytes(b"x")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing))
    with pytest.raises(CommandError, match="no such folder"):
        call_command("backup", str(tmp_path / "missing" / "x.backup"))
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "missing.backup"))
