"""`amn import-incidents FILE --mapping MAPPING`: import an agency's incident CSV as cases."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from amn.cases.importing import IncompleteImport, RejectReason, incidents_import
from amn.cases.mappings import load_mapping
from amn.core.errors import ImportProblem


class Command(BaseCommand):
    help = (
        "Import incident-level police records (CSV, plain or gzip) as cases, one per row; "
        "streaming and idempotent. Prints the counts and the rejects file."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the incident CSV (.csv or .csv.gz)")
        parser.add_argument(
            "--mapping",
            required=True,
            help="path to a mapping .toml, or the name of a mapping shipped with Amn "
            "(e.g. chicago)",
        )
        parser.add_argument(
            "--rejects",
            type=Path,
            help="where to write the rejected rows (default var/imports/<file>-rejects.csv)",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            help="cases written per transaction (default: amn.cases.bulk.bulk_write's)",
        )

    def handle(self, *args, file, mapping, rejects=None, batch_size=None, **options):
        if batch_size is not None and batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        try:
            report = incidents_import(
                actor=None,
                path=file,
                mapping=load_mapping(mapping),
                rejects_path=rejects,
                batch_size=batch_size,
            )
        except IncompleteImport as problem:
            raise CommandError(str(problem)) from None
        except ImportProblem as problem:
            raise CommandError(
                _("%(problem)s — nothing was imported.") % {"problem": problem}
            ) from None
        write = self.stdout.write
        write(_("read: %(n)d") % {"n": report.read})
        write(_("imported: %(n)d") % {"n": report.imported})
        if report.in_inbox:
            write(_("  of which in the validation inbox: %(n)d") % {"n": report.in_inbox})
        write(_("already present: %(n)d") % {"n": report.already_present})
        write(_("skipped: %(n)d") % {"n": report.skipped_total})
        for reason, n in sorted(report.skipped.items()):
            write(f"  {RejectReason(reason).label}: {n}")
        write(_("rejects: %(path)s") % {"path": report.rejects_path})
        write(
            _("org-unit tree: %(code)s (units created: %(n)d)")
            % {"code": report.root_code, "n": report.units_created}
        )
