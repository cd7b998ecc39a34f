"""`amn registry-check FILE`: check applicants against the records registry."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from amn.people.registry_io import (
    IdentityParser,
    JsonLinesFile,
    field_error_to_dict,
    json_line_parse,
)
from amn.people.selectors import registry_check_json


class Command(BaseCommand):
    help = (
        "Check applicants (JSON Lines, plain or gzip; the exchange fields of "
        "amn import-registry, without convictions) against the records registry. Prints one "
        'JSON line per applicant: {"line", "outcome", "score", "candidates": [{"person_id", '
        '"score", "fields": [{"field", "agreement", "weight", "detail"}]}]}; a refused line '
        'prints {"line", "error": {"line", "field", "reason"}, "errors": [{"field", "reason"}]} '
        "and the command then exits with status 1 at the end. "
        "Example: docs/samples/applicants-sample.jsonl."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the applicants file (.jsonl or .jsonl.gz)")
        parser.add_argument(
            "--limit", type=int, default=5, help="candidates per applicant (default 5)"
        )

    def handle(self, *args, file: Path, limit: int, **options):
        if limit < 1:
            raise CommandError(_("--limit must be at least 1."))
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        parser = IdentityParser()
        refused = 0
        try:
            for number, raw in enumerate(JsonLinesFile(file), start=1):
                parsed = json_line_parse(parser, number, raw)
                if parsed is None:
                    continue
                if parsed.ok:
                    checked, _result = registry_check_json(applicant=parsed.record, limit=limit)
                    out = {"line": number, **checked}
                else:
                    refused += 1
                    out = {
                        "line": number,
                        "error": field_error_to_dict(parsed.errors[0], line=number),
                        "errors": [field_error_to_dict(e) for e in parsed.errors],
                    }
                self.stdout.write(json.dumps(out, ensure_ascii=False))
        except (OSError, EOFError) as problem:
            raise CommandError(str(problem)) from None
        if refused:
            raise CommandError(_("%(n)d applicant lines refused.") % {"n": refused})
