"""`amn generate-demo --cases N --year Y [--seed S]`: a synthetic year of criminal cases;
`--cnie N` adds a national year of CNIE cards (amn.idcards.generation)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from amn.cases.choices import NetworkKind, Substance
from amn.cases.generation import demo_year_generate
from amn.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Generate a realistic synthetic year of criminal cases (offence mix, seasonality, "
        "population, clearance, seizures, networks) in the demo police units; deterministic "
        "for a given seed, idempotent for the same cases, year and seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, help="number of cases (with --year)")
        parser.add_argument(
            "--year", type=int, help="year of recording; of issue for --cnie (default 2025)"
        )
        parser.add_argument(
            "--cnie", type=int, help="number of CNIE cards issued in the year (amn.idcards)"
        )
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument(
            "--batch-size", type=int, default=10_000, help="cases written per transaction"
        )

    def handle(self, *args, cases, year, seed, batch_size, cnie=None, **options):
        if cnie is not None:
            from amn.idcards.generation import generate_from_command

            generate_from_command(
                self, cards=cnie, year=year, seed=seed, verbose=options.get("verbosity", 1) > 1
            )
            if cases is None:
                return
        if cases is None or year is None:
            raise CommandError(_("Give --cases N with --year Y, and/or --cnie N."))
        if cases < 1 or batch_size < 1:
            raise CommandError(_("--cases and --batch-size must be at least 1."))
        verbose = options.get("verbosity", 1) > 1
        try:
            summary = demo_year_generate(
                actor=None,
                cases=cases,
                year=year,
                seed=seed,
                batch_size=batch_size,
                progress=(lambda n: self.stderr.write(f"{n:,}")) if verbose else None,
            )
        except DomainError as problem:
            raise CommandError(
                _("%(problem)s — nothing was generated.") % {"problem": problem}
            ) from None
        write = self.stdout.write
        result = summary.cases
        write(_("cases written: %(n)d") % {"n": result.written})
        if result.already_present:
            write(_("already present: %(n)d") % {"n": result.already_present})
        if result.in_inbox:
            write(_("  of which in the validation inbox: %(n)d") % {"n": result.in_inbox})
        write(_("offences: %(n)d") % {"n": summary.offences})
        write(_("arrests: %(n)d") % {"n": summary.arrests})
        for substance, (count, total, unit) in sorted(summary.seizures.items()):
            write(
                _("seizures of %(substance)s: %(n)d, %(total)s %(unit)s")
                % {
                    "substance": Substance(substance).label,
                    "n": count,
                    "total": f"{total:,.3f}",
                    "unit": unit,
                }
            )
        for kind, count in sorted(summary.networks.items()):
            write(
                _("networks dismantled (%(kind)s): %(n)d")
                % {"kind": NetworkKind(kind).label, "n": count}
            )
        write(_("seconds: %(s).1f") % {"s": summary.seconds})
