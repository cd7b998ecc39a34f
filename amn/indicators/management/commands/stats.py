"""`amn stats --year 2025 [--unit CODE] [--indicator CODE] [--by …] [--format …]`: figures of
the indicator catalogue for a unit subtree and a period, with the same period a year
earlier and the change."""

import argparse
import csv
import json
from itertools import groupby

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from amn.core.errors import DomainError
from amn.core.localized_fields import localized
from amn.indicators.choices import Counting, Disaggregation
from amn.indicators.presentation import (
    change_text,
    counting_label,
    figure_text,
    unit_of_measure_label,
)
from amn.indicators.selectors import FigureQuery, figure_list, indicator_list, public_rows


def calendar_year(text: str) -> int:
    """argparse type: a year from 2 to 9998 (a year and the one before are dates)."""
    if not text.isascii() or not text.isdigit() or not 2 <= int(text) <= 9998:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year from 2 to 9998")
    return int(text)


class Command(BaseCommand):
    help = (
        "Compute indicators for a police-unit subtree (default: the root of the unit tree) "
        "and a year, quarter or month, with the same period a year earlier and the change."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=calendar_year, required=True, metavar="YEAR")
        period = parser.add_mutually_exclusive_group()
        period.add_argument("--quarter", type=int, choices=range(1, 5), metavar="1-4")
        period.add_argument("--month", type=int, choices=range(1, 13), metavar="1-12")
        parser.add_argument("--unit", metavar="CODE", help="unit code (default: tree root)")
        parser.add_argument("--indicator", metavar="CODE", help="one indicator (default: all)")
        parser.add_argument("--by", choices=Disaggregation.values)
        parser.add_argument("--counting", choices=Counting.values)
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
        parser.add_argument("--language", choices=["ar", "fr", "en"], default="en")
        parser.add_argument(
            "--public", action="store_true", help="public output: hide small counts"
        )

    def handle(self, *args, **options):
        query = FigureQuery(
            year=options["year"],
            quarter=options["quarter"],
            month=options["month"],
            unit=options["unit"],
            indicator=options["indicator"],
            by=options["by"],
            counting=options["counting"],
        )
        with translation.override(options["language"]):
            try:
                figures = figure_list(actor=None, query=query, public=options["public"])
            except (Http404, DomainError) as problem:
                raise CommandError(str(problem)) from None
            rows = (
                public_rows(figures)
                if options["public"]
                else [figure.as_dict() for figure in figures]
            )
            if options["format"] == "json":
                self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            elif options["format"] == "csv":
                self._csv(rows)
            else:
                self._table(figures, rows)

    def _csv(self, rows: list[dict]) -> None:
        writer = csv.DictWriter(self.stdout, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    def _table(self, figures, rows: list[dict]) -> None:
        """One block per indicator: title, one line per cell, the counting rule."""
        indicators = {indicator.code: indicator for indicator in indicator_list()}
        pairs = groupby(zip(figures, rows, strict=True), key=lambda pair: pair[0].indicator)
        for number, (code, group) in enumerate(pairs):
            indicator, cells = indicators[code], list(group)
            first = cells[0][0]
            unit = unit_of_measure_label(first.unit_of_measure)
            if first.counting:
                unit = f"{unit}, {counting_label(first.counting)}"
            if number:
                self.stdout.write("")
            self.stdout.write(
                f"{localized(indicator, 'name')} ({unit}) — {first.org_unit}, {first.period}"
            )
            self.stdout.write(f"  {'':32} {first.period:>14} {_('previous'):>14} {_('change'):>10}")
            for figure, row in cells:
                label = figure.label if figure.by else _("Total")
                value = figure_text(row["value"], indicator.decimals)
                previous = figure_text(row["previous_value"], indicator.decimals)
                change = change_text(row["change"])
                self.stdout.write(f"  {label[:32]:32} {value:>14} {previous:>14} {change:>10}")
            rule = localized(indicator, "counting_rule")
            self.stdout.write("  " + _("Rule: %(rule)s") % {"rule": rule})
