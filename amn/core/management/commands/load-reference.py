"""`amn load-reference`: load every piece of reference data Amn ships (idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from amn.core.app_hooks import app_functions
from amn.core.errors import DomainError


class Command(BaseCommand):
    help = "Load reference data (geography, unit types, …) from every app, in one transaction."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                for _label, load in app_functions("reference", "load_reference"):
                    self.stdout.write(load(actor=None))
        except DomainError as problem:
            raise CommandError(f"{problem} — nothing was loaded.") from None
