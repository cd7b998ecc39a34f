"""`amn generate-year --year 2025 [--scale S] [--seed N] [--previous-year]`: generate an
operational year calibrated on the directorate's release of that year, so that the year's
report reproduces the release's figures at scale S (counts round(value × S), rates as
published).

Visits every app's hook `<app>.release_year.generate(*, year, scale, seed, targets) -> str`
(amn.core.app_hooks), in INSTALLED_APPS order, with the targets read from the release
fixture (amn.indicators.published.release); with --previous-year it first generates the
year before from the published figures of that year (the report's year-over-year change).
Each app's part is one transaction; running the command again adds nothing. The scale of
each generated year is recorded (amn.indicators.services.generated_year_record) for the
report to state.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from amn.core.app_hooks import app_functions
from amn.core.errors import DomainError
from amn.indicators.models import GeneratedYear
from amn.indicators.published.release import (
    UnknownRelease,
    previous_year_targets,
    release_targets,
)
from amn.indicators.services import generated_year_record


class Command(BaseCommand):
    help = (
        "Generate a year of operational records (cases, CNIE, certificates, mobile units, "
        "staff) calibrated so that the year's report reproduces the release's figures at "
        "the chosen scale; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="the release's year")
        parser.add_argument(
            "--scale",
            type=float,
            default=settings.AMN_DEMO_SCALE,
            help="share of the national volume, above 0 and at most 1 "
            "(default $AMN_DEMO_SCALE, %(default)s)",
        )
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--previous-year",
            action="store_true",
            help="also generate the year before from its published figures",
        )

    def handle(self, *args, year, scale, seed, previous_year, **options):
        if not 0 < scale <= 1:
            raise CommandError(f"--scale must be above 0 and at most 1, not {scale:g}.")
        try:
            plan = [(year, release_targets(year, scale))]
            if previous_year:
                plan.insert(0, (year - 1, previous_year_targets(year, scale)))
        except UnknownRelease as problem:
            raise CommandError(str(problem)) from None
        for generated_year, targets in plan:
            done = GeneratedYear.objects.filter(year=generated_year).first()
            if done is not None:
                # A year is generated once: another seed or scale would add a second set of
                # records beside the first (the hooks recognise only their own).
                if float(done.scale) != scale:
                    raise CommandError(
                        f"{generated_year} was generated at scale {float(done.scale):g}; "
                        "another scale needs a fresh database — nothing was added."
                    )
                self.stdout.write(
                    f"{generated_year} already generated at scale {scale:g}: nothing added"
                )
                continue
            for label, generate in app_functions("release_year", "generate"):
                started = time.perf_counter()
                try:
                    with transaction.atomic():
                        line = generate(
                            year=generated_year, scale=scale, seed=seed, targets=targets
                        )
                except DomainError as problem:
                    raise CommandError(
                        f"{label} {generated_year}: {problem} — this app's part was not "
                        "generated (the parts above were)."
                    ) from None
                self.stdout.write(f"{line} ({time.perf_counter() - started:.1f} s)")
            generated_year_record(year=generated_year, scale=scale)
        self.stdout.write(f"generated year {year} at scale {scale:g} (seed {seed})")
