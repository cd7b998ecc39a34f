"""`amn load-published [--file CSV] [--until YEAR]`: the DGSN's figures published before Amn
as external snapshots of the national unit (amn.indicators.dgsn_figures)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from amn.core.errors import ImportProblem
from amn.indicators.dgsn_figures import load_published
from amn.indicators.selectors import tree_root

DEFAULT_FILE = Path("dgsn") / "dgsn_published_figures.csv"


class Command(BaseCommand):
    help = (
        "Load the figures the DGSN published for earlier years (default: "
        "$AMN_SHARED_DATA/dgsn/dgsn_published_figures.csv) as published snapshots."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, help="the CSV (default in $AMN_SHARED_DATA)")
        parser.add_argument("--until", type=int, help="load the years up to this one only")

    def handle(self, *args, file, until, **options):
        if file is None:
            file = Path(settings.AMN_SHARED_DATA) / DEFAULT_FILE
            if not file.exists():
                self.stdout.write(
                    f"published figures: skipped — {file} is not on this machine "
                    "(set AMN_SHARED_DATA to the shared data folder)"
                )
                return
        elif not file.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            unit = tree_root()
        except Http404 as problem:
            raise CommandError(str(problem)) from None
        try:
            summary = load_published(path=file, unit=unit, until=until)
        except ImportProblem as problem:
            raise CommandError(f"{problem} — nothing was loaded.") from None
        for year, count in summary.created.items():
            self.stdout.write(f"published figures {year}: {count} loaded")
        if summary.unchanged:
            self.stdout.write(
                "already loaded: " + ", ".join(str(year) for year in summary.unchanged)
            )
        if summary.skipped:
            self.stdout.write(
                f"rows skipped (not catalogue indicators): {sum(summary.skipped.values())} — "
                + ", ".join(sorted(summary.skipped))
            )
