"""`amn partner-create NAME [--kind bank|telecom|administration] [--calls-per-minute N]`:
register an identity-verification partner and print its API key (shown this once)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from amn.core.errors import DomainError
from amn.idcards.choices import PartnerKind
from amn.idcards.services import partner_create


class Command(BaseCommand):
    help = (
        "Register a partner (bank, telecom operator, administration) of the identity "
        "verification service and print its API key; only a digest of the key is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the partner's name")
        parser.add_argument("--kind", choices=PartnerKind.values, default=PartnerKind.BANK)
        parser.add_argument("--calls-per-minute", type=int, default=60)

    def handle(self, *args, name, kind, calls_per_minute, **options):
        try:
            partner, key = partner_create(
                actor=None, name=name, kind=kind, calls_per_minute=calls_per_minute
            )
        except DomainError as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(
            _("Partner registered: %(name)s (%(id)s)") % {"name": partner.name, "id": partner.pk}
        )
        self.stdout.write(_("API key (shown once, keep it safe): %(key)s") % {"key": key})
        self.stdout.write(_("Send it in the X-API-Key header of POST /api/v1/cnie/verify."))
