"""Background jobs of the certificate service (django-tasks; `amn db_worker` runs them, and
`amn db_worker --batch` drains the queue in tests and the demo). Each job calls a service."""

import datetime

from django.utils import timezone
from django_tasks import task

from amn.certificates import services

NOTIFY_RETRY_DELAYS = (60, 600, 3600)


@task()
def certificate_check(application_id: str) -> str:
    """Run the registry check of application `application_id` (UUID string): issue the
    certificate when clean, else send the application to review. A failure is recorded
    and retried later by the service itself (see services.application_check_run).

    Returns:
        "issued", "review" or "skipped".
    """
    return services.application_check_run(application_id=application_id)


@task()
def certificate_notify(application_id: str, attempt: int = 1) -> list[str]:
    """Notify the applicant of `application_id` that the certificate is issued; when the
    e-mail or SMS backend fails, retry after NOTIFY_RETRY_DELAYS (three more attempts),
    then give up (the tracking page still shows the certificate).

    Returns:
        the channels used (["email", "sms"]).
    """
    try:
        return services.application_notify(application_id=application_id)
    except Exception:
        if attempt <= len(NOTIFY_RETRY_DELAYS):
            delay = NOTIFY_RETRY_DELAYS[attempt - 1]
            certificate_notify.using(
                run_after=timezone.now() + datetime.timedelta(seconds=delay)
            ).enqueue(application_id, attempt + 1)
        raise
