from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdcardsConfig(AppConfig):
    """The CNIE app; registers its models with django-auditlog."""

    name = "amn.idcards"
    verbose_name = _("Identity cards (CNIE)")

    def ready(self):
        from auditlog.registry import auditlog

        from amn.idcards.models import Card, CnieApplication, Consent, LossDeclaration, Partner

        auditlog.register(CnieApplication, exclude_fields=["fingerprint"])
        auditlog.register(Card)
        auditlog.register(LossDeclaration)
        auditlog.register(Consent)
        auditlog.register(Partner, exclude_fields=["key_hash"])
