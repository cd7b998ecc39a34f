from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "amn.cases"
    verbose_name = _("Criminal cases")

    def ready(self):
        from auditlog.registry import auditlog

        from amn.cases.models import (
            Arrest,
            Case,
            CaseParty,
            CriminalNetwork,
            NationalCategory,
            Offence,
            Seizure,
        )

        for model in (Case, Offence, CaseParty, Arrest, Seizure, CriminalNetwork, NationalCategory):
            auditlog.register(model)
