"""Background jobs of the permits app (django-tasks): notices to applicants and the daily
expiry reminders. They call the services; `amn db_worker` runs them."""

from django_tasks import task

from amn.permits import notifications
from amn.permits.models import ResidenceApplication, VisaApplication
from amn.permits.services import card_expiry_reminders_send


@task()
def application_notice(*, kind: str, application_id: str, event: str) -> None:
    """E-mail the applicant of the residence ("residence") or visa ("visa") application
    `application_id` its status. `event` is the status the notice was queued for: a notice
    whose application has moved on since is skipped (a newer one is queued)."""
    model = ResidenceApplication if kind == "residence" else VisaApplication
    application = model.objects.select_related("handling_unit").filter(pk=application_id).first()
    if application is None or application.status != event:
        return
    if kind == "residence":
        notifications.residence_notice_send(application=application)
    else:
        notifications.visa_notice_send(application=application)


@task()
def expiry_reminders(*, days: int = 60) -> dict[str, int]:
    """Remind the holders of cards expiring within `days` days (once per card); returns the
    counts of amn.permits.services.ReminderSummary as a dict. Enqueue it once a day, or run
    `amn permits-remind` from cron."""
    summary = card_expiry_reminders_send(actor=None, days=days)
    return {
        "days": summary.days,
        "sent": summary.sent,
        "already_reminded": summary.already_reminded,
        "renewal_filed": summary.renewal_filed,
        "failed": summary.failed,
    }
