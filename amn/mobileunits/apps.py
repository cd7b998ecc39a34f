from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobileunitsConfig(AppConfig):
    name = "amn.mobileunits"
    verbose_name = _("Mobile units")

    def ready(self):
        from auditlog.registry import auditlog

        from amn.mobileunits.models import MobileUnit, Stop, Tour

        for model in (MobileUnit, Tour, Stop):
            auditlog.register(model)
