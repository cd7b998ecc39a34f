"""Background jobs of the CNIE service (django-tasks; `amn db_worker` runs them)."""

import datetime

from django.utils import timezone
from django_tasks import task

from amn.idcards import notices
from amn.idcards.models import CnieApplication

NOTIFY_RETRY_DELAYS = (60, 600, 3600)  # seconds before the 2nd, 3rd and 4th attempts


@task()
def application_notify(application_id: str, step: str, attempt: int = 1) -> list[str]:
    """Notify the applicant of `application_id` (UUID string) that `step` was reached; when
    a backend fails, try again after NOTIFY_RETRY_DELAYS, then give up (the tracking page
    still shows the step).

    Returns:
        the channels used (["email", "sms"]); [] when the application no longer exists.
    """
    application = CnieApplication.objects.filter(pk=application_id).first()
    if application is None:
        return []
    try:
        return notices.notify(
            step=step,
            reference=application.reference,
            language=application.language,
            email=application.email,
            phone=application.phone,
        )
    except Exception:
        if attempt <= len(NOTIFY_RETRY_DELAYS):
            application_notify.using(
                run_after=timezone.now()
                + datetime.timedelta(seconds=NOTIFY_RETRY_DELAYS[attempt - 1])
            ).enqueue(application_id, step, attempt + 1)
        raise
