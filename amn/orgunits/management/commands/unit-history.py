"""`amn unit-history --year 2025`: every police-unit change of a year."""

import argparse

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import ngettext

from amn.orgunits.presentation import event_summary
from amn.orgunits.selectors import unit_events_in_year


def calendar_year(text: str) -> int:
    """argparse type: a year from 1 to 9999 (the range of Python's dates)."""
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 9999:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year from 1 to 9999")
    return int(text)


class Command(BaseCommand):
    help = "List every police-unit status change effective in the given year."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=calendar_year, required=True, metavar="YEAR")
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
