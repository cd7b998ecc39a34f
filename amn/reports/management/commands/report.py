"""`amn report YEAR [--unit CODE] --lang ar|fr|en --format html|pdf|json -o PATH
[--numerals latn|arab]`: the annual report of a year for a unit subtree (default: the
national root), written to PATH."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from amn.core.errors import DomainError
from amn.reports.builder import LANGUAGES, ReportInputError, check_language
from amn.reports.numbers import NUMERALS
from amn.reports.rendering import FORMATS, report_html, report_json, report_pdf
from amn.reports.selectors import report_get, report_unit_get


def _year(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 2 <= int(text) <= 9998:
        raise CommandError(f"year {text!r} is not a year from 2 to 9998")
    return int(text)


class Command(BaseCommand):
    help = (
        "Write the annual report of YEAR for a police-unit subtree (default: the national "
        "root) in Arabic, French or English, as HTML, PDF or JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", metavar="YEAR")
        parser.add_argument("--unit", metavar="CODE", help="unit code (default: national root)")
        parser.add_argument("--lang", required=True, help=f"one of {', '.join(LANGUAGES)}")
        parser.add_argument("--format", required=True, help=f"one of {', '.join(FORMATS)}")
        parser.add_argument("-o", "--output", required=True, metavar="PATH")
        parser.add_argument(
            "--numerals", default="latn", help=f"one of {', '.join(NUMERALS)} (default latn)"
        )

    def handle(self, *args, year, unit, lang, format, output, numerals, **options):
        year = _year(year)
        if format not in FORMATS:
            raise CommandError(f"format {format!r} is not offered: use one of {', '.join(FORMATS)}")
        try:
            check_language(lang, numerals)
        except ReportInputError as problem:
            raise CommandError(str(problem)) from None
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"output folder {str(path.parent)!r} does not exist")
        started = time.perf_counter()
        try:
            org_unit = report_unit_get(actor=None, code=unit)
            report = report_get(year=year, unit=org_unit, language=lang, numerals=numerals)
        except Http404 as missing:
            raise CommandError(str(missing) or f"no police unit {unit!r}") from None
        except DomainError as problem:
            raise CommandError(str(problem)) from None
        if path.is_dir():
            raise CommandError(f"output {str(path)!r} is a folder: give a file name")
        if format == "pdf":
            content = report_pdf(report)
        elif format == "json":
            content = json.dumps(report_json(report), ensure_ascii=False, indent=2) + "\n"
        else:
            content = report_html(report)
        try:
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot write {str(path)!r}: {error.strerror}") from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{path} ({format}, {lang}, {report.unit.code}, {report.year}): "
            f"{path.stat().st_size:,} bytes in {elapsed:.1f} s; "
            f"checksum {report.snapshot_checksum[:16]}…"
        )
