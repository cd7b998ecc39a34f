"""`amn certificates-resume-checks`: enqueue again the registry checks still pending."""

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from amn.certificates.services import applications_resume_checks


class Command(BaseCommand):
    help = (
        "Enqueue the registry check of every certificate application still waiting for it "
        "(after the task queue was lost or restored from a backup). A check that already "
        "ran is skipped by the job itself, so running this twice is harmless."
    )

    def handle(self, *args, **options):
        count = applications_resume_checks()
        self.stdout.write(
            ngettext("%(count)d check enqueued.", "%(count)d checks enqueued.", count)
            % {"count": count}
        )
