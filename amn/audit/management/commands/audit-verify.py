"""`amn audit-verify`: recompute the audit hash chain; exit 1 when an event was altered or
deleted."""

from django.core.management.base import BaseCommand, CommandError

from amn.audit.chain import chain_verify


class Command(BaseCommand):
    help = (
        "Check that no audit event was altered or deleted (hash chain). Prints the head hash: "
        "record it outside the database (e.g. in the operations log) to detect a rewritten chain."
    )

    def handle(self, *args, **options):
        report = chain_verify()
        if not report.intact:
            raise CommandError(
                f"audit chain broken at event {report.first_bad_seq}: {report.problem} "
                f"({report.checked} events checked before it)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} events, head {report.head_hash}")
