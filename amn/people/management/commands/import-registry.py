"""`amn import-registry FILE [--unit CODE]`: import a records registry (JSON Lines)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from amn.core.errors import ImportProblem
from amn.orgunits.models import OrgUnit
from amn.people.registry_io import JsonLinesFile
from amn.people.services import BULK_BATCH_SIZE, registry_import


class Command(BaseCommand):
    help = (
        "Import a records registry: one person per line (JSON Lines, plain or gzip) with the "
        "exchange fields person_id, cnie, given_name_ar, family_name_ar, given_name_lat, "
        "family_name_lat, sex, birth_date (YYYY-MM-DD or YYYY), birth_place (commune code or "
        "name), father_given_name, mother_given_name, and optionally convictions (a list of "
        "{court, judgment_date, iccs_code, sentence, cleared_on}). All or nothing: when a "
        "line is refused, nothing is written and every refused line is listed (line, field, "
        "reason). Example: docs/samples/registry-sample.jsonl."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the registry file (.jsonl or .jsonl.gz)")
        parser.add_argument(
            "--unit",
            help="code of the recording police unit (default: the root of the unit tree, "
            "the directorate-general)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BULK_BATCH_SIZE,
            help=f"persons per insert (default {BULK_BATCH_SIZE})",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="processes computing the match keys beside the import (default 1)",
        )

    def handle(self, *args, file: Path, unit=None, batch_size: int, workers: int, **options):
        if batch_size < 1 or workers < 1:
            raise CommandError(_("--batch-size and --workers must be at least 1."))
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        recorded_by = self._unit(unit)
        try:
            report = registry_import(
                actor=None,
                lines=JsonLinesFile(file),
                recorded_by=recorded_by,
                batch_size=batch_size,
                key_workers=workers,
            )
        except (ImportProblem, OSError, EOFError) as problem:
            raise CommandError(
                _("%(problem)s — nothing was imported.") % {"problem": problem}
            ) from None
        write = self.stdout.write
        write(_("lines read: %(n)d") % {"n": report.read})
        if report.rejected:
            for rejected in report.rejected:
                self.stderr.write(
                    _("line %(line)d, %(field)s: %(reason)s")
                    % {
                        "line": rejected.line,
                        "field": rejected.field or _("whole line"),
                        "reason": rejected.reason,
                    }
                )
            raise CommandError(
                _("%(n)d lines refused — nothing was imported.") % {"n": report.rejected_lines}
            )
        write(_("persons imported: %(n)d") % {"n": report.imported})
        write(_("convictions imported: %(n)d") % {"n": report.convictions})
        write(_("recording unit: %(code)s") % {"code": recorded_by.code})

    def _unit(self, code: str | None) -> OrgUnit:
        if code:
            unit = OrgUnit.objects.filter(code=code).first()
            if unit is None:
                raise CommandError(_("No police unit has the code %(code)s.") % {"code": code})
            return unit
        roots = list(OrgUnit.objects.get_root_nodes()[:2])
        if len(roots) != 1:
            raise CommandError(_("Give the recording unit with --unit CODE."))
        return roots[0]
