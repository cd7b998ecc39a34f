"""`amn unit-history --year 2025`: every police-unit change of a year."""

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import ngettext

from amn.orgunits.presentation import event_summary
from amn.orgunits.selectors import unit_events_in_year


class Command(BaseCommand):
    help = "List every police-unit status change effective in the given year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--language", default="en", choices=["ar", "fr", "en"])

    def handle(self, *args, year, language, **options):
        with translation.override(language):
            events = list(unit_events_in_year(year=year))
            for event in events:
                self.stdout.write(event_summary(event))
            self.stdout.write(
                ngettext(
                    "%(count)d change in %(year)d.", "%(count)d changes in %(year)d.", len(events)
                )
                % {"count": len(events), "year": year}
            )
