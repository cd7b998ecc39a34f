"""`amn load-demo`: load the demo facts and accounts (idempotent; needs load-reference)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, OperationalError, transaction

from amn.core.app_hooks import app_functions
from amn.core.errors import DomainError


class Command(BaseCommand):
    help = "Load demo facts and demo accounts from every app."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                for _label, load in app_functions("demo", "load_demo"):
                    self.stdout.write(load())
        except DomainError as problem:
            raise CommandError(f"{problem} — nothing was loaded.") from None
        except (IntegrityError, OperationalError) as error:
            raise CommandError(
                f"the database refused the demo data ({type(error).__name__}); another load "
                "may be running — nothing was loaded by this run, try again."
            ) from None
