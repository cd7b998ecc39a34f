"""`amn permits-remind [--days 60]`: e-mail the holders of residence cards that expire
within N days, once per card (see amn.permits.services.card_expiry_reminders_send)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from amn.core.errors import DomainError
from amn.permits.services import MAX_REMINDER_DAYS, card_expiry_reminders_send


class Command(BaseCommand):
    help = (
        "Remind by e-mail the holders of residence cards in force that expire within N days "
        "(default 60). Each card is reminded once: running the command again sends nothing "
        "new; holders who already filed a renewal are skipped. Run it daily (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=60,
            help=f"reminder window in days, 1 to {MAX_REMINDER_DAYS} (default 60)",
        )

    def handle(self, *args, days, **options):
        try:
            summary = card_expiry_reminders_send(actor=None, days=days)
        except DomainError as problem:
            raise CommandError(str(problem)) from None
        write = self.stdout.write
        write(_("cards expiring within %(days)d days") % {"days": summary.days})
        write(_("reminders sent: %(n)d") % {"n": summary.sent})
        write(_("already reminded: %(n)d") % {"n": summary.already_reminded})
        write(_("renewal already filed: %(n)d") % {"n": summary.renewal_filed})
        if summary.failed:
            raise CommandError(
                _("%(n)d reminders could not be sent; they will be retried on the next run.")
                % {"n": summary.failed}
            )
