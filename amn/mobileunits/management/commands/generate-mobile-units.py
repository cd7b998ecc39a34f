"""`amn generate-mobile-units --year Y [--seed S] [--scale X]`: a synthetic national year of
mobile units, tours and stops (amn.mobileunits.generation)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from amn.core.errors import DomainError
from amn.mobileunits.generation import generate_mobile_year


class Command(BaseCommand):
    help = (
        "Generate a synthetic national year of mobile units (80 units and 88,000 people "
        "served at scale 1); deterministic for a seed, idempotent for a year."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--scale", type=float, default=1.0)

    def handle(self, *args, year, seed, scale, **options):
        try:
            result = generate_mobile_year(year, seed, scale)
        except DomainError as problem:
            raise CommandError(str(problem)) from None
        write = self.stdout.write
        if result.already_present:
            write(_("Year %(year)d was generated already.") % {"year": year})
        write(_("units: %(n)d") % {"n": result.units})
        write(_("tours: %(n)d") % {"n": result.tours})
        write(_("stops: %(n)d") % {"n": result.stops})
        write(_("people served: %(n)d") % {"n": result.people_served})
        write(_("applications received: %(n)d") % {"n": result.applications_received})
        write(_("cards delivered: %(n)d") % {"n": result.cards_delivered})
        write(_("seconds: %(s).1f") % {"s": result.seconds})
