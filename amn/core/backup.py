"""Backup and restore of the whole database, and a per-table fingerprint to compare two
databases after a restore.

SQLite uses its online backup API (a consistent copy while the application runs);
PostgreSQL uses pg_dump's custom format and pg_restore.
"""

import datetime
import decimal
import hashlib
import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

from django.db import connections

from amn.core.errors import DomainError


def _pg_environment(alias: str) -> dict[str, str]:
    params = connections[alias].settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DomainError(f"{name} is not installed (PostgreSQL client tools are needed)")
    return path


def database_backup(path: Path, *, using: str = "default") -> int:
    """Write a consistent copy of database `using` to `path`.

    Returns:
        int: the size of the backup file in bytes.
    Raises:
        DomainError: `path` exists already, its folder does not exist, or pg_dump is missing
            or fails.
    """
    path = Path(path)
    if path.exists():
        raise DomainError(f"{path} exists already: choose a new file name")
    if not path.parent.is_dir():
        raise DomainError(f"{path.parent}: no such folder")
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        result = subprocess.run(  # noqa: S603 — argv list from settings, no shell
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={path}"],
            env=_pg_environment(using),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise DomainError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise DomainError(f"backups of {connection.vendor} databases are not supported")
    return path.stat().st_size


def database_restore(path: Path, *, using: str = "default") -> None:
    """Restore the backup at `path` into database `using`, which must hold no tables (a fresh
    database), so a restore never mixes with live data.

    Raises:
        DomainError: no such file, the target database is not empty, or pg_restore fails.
    """
    path = Path(path)
    if not path.is_file():
        raise DomainError(f"{path}: no such backup file")
    connection = connections[using]
    if connection.introspection.table_names():
        raise DomainError("the target database is not empty: restore into a fresh database")
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(path)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        connection.close()
        result = subprocess.run(  # noqa: S603 — argv list from settings, no shell
            [
                _pg_tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ],
            env=_pg_environment(using),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise DomainError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        raise DomainError(f"restores of {connection.vendor} databases are not supported")


def _canonical(value) -> str:
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return repr(value)


def database_fingerprint(*, using: str = "default") -> dict[str, tuple[int, str]]:
    """Row count and SHA-256 of the rows (ordered by every column) of each table.

    Returns:
        dict: table name → (row count, hex digest). Two databases with equal fingerprints
        hold the same rows.
    """
    connection = connections[using]
    fingerprint = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = len(connection.introspection.get_table_description(cursor, table))
            order = ", ".join(str(i) for i in range(1, columns + 1))
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY {order}")  # noqa: S608 — table names come from the database's own catalogue
            digest, count = hashlib.sha256(), 0
            while rows := cursor.fetchmany(10_000):
                for row in rows:
                    digest.update("\x1f".join(_canonical(v) for v in row).encode())
                    digest.update(b"\x1e")
                count += len(rows)
            fingerprint[table] = (count, digest.hexdigest())
    return fingerprint
