"""`amn restore FILE`: restore a backup made by `amn backup` into the configured database,
which must be fresh (no tables), then check the audit chain."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from amn.audit.chain import chain_verify
from amn.core.backup import database_restore
from amn.core.errors import DomainError


class Command(BaseCommand):
    help = "Restore FILE (from `amn backup`) into the configured, empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        started = time.perf_counter()
        try:
            database_restore(options["file"])
        except DomainError as error:
            raise CommandError(str(error)) from None
        report = chain_verify()
        if not report.intact:
            raise CommandError(
                f"restored, but the audit chain is broken at event {report.first_bad_seq}: "
                f"{report.problem}"
            )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"restored {options['file']} in {elapsed:.1f} s; audit chain intact "
            f"({report.checked} events)"
        )
