from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PermitsConfig(AppConfig):
    """Residence permits and visas; registers the permit models with django-auditlog."""

    name = "amn.permits"
    verbose_name = _("Residence permits and visas")

    def ready(self):
        from auditlog.registry import auditlog

        from amn.permits.models import (
            DocumentCheck,
            ExpiryReminder,
            ResidenceApplication,
            ResidenceCard,
            Visa,
            VisaApplication,
        )

        # Field changes of every permit record go to the change trail; open_key is a hash of
        # the applicant's identity and stays out of it.
        for model in (ResidenceApplication, VisaApplication):
            auditlog.register(model, exclude_fields=["open_key"])
        for model in (DocumentCheck, ResidenceCard, ExpiryReminder, Visa):
            auditlog.register(model)
