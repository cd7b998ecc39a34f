from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgUnitsConfig(AppConfig):
    name = "amn.orgunits"
    verbose_name = _("Police units")

    def ready(self):
        from auditlog.registry import auditlog

        from amn.orgunits.models import OrgUnit, UnitEvent, UnitType

        for model in (UnitType, OrgUnit, UnitEvent):
            auditlog.register(model)
