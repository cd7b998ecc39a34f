"""`amn audit-purge --before YYYY-MM-DD`: delete audit events older than a date at least
one year back (run with the database owner's role)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from amn.audit.services import audit_purge
from amn.core.errors import DomainError


class Command(BaseCommand):
    help = "Delete audit events recorded before a date that is at least one year ago."

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="date, YYYY-MM-DD")

    def handle(self, *args, **options):
        try:
            before = datetime.date.fromisoformat(options["before"])
        except ValueError:
            raise CommandError("--before: give a date as YYYY-MM-DD") from None
        try:
            deleted = audit_purge(actor=None, before=before)
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{deleted} audit events deleted (recorded before {before})")
