"""`amn backup FILE`: a consistent copy of the database (SQLite online backup API, or
pg_dump's custom format on PostgreSQL)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from amn.core.backup import database_backup
from amn.core.errors import DomainError


class Command(BaseCommand):
    help = "Write a consistent backup of the database to FILE (a new file)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            size = database_backup(options["file"])
        except DomainError as error:
            raise CommandError(str(error)) from None
        elapsed = time.perf_counter() - started
        self.stdout.write(f"backup written: {options['file']} ({size:,} bytes, {elapsed:.1f} s)")
