from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HrConfig(AppConfig):
    """Human resources; registers the personnel models with django-auditlog (field changes
    made through services; bulk generation writes one audit event instead)."""

    name = "amn.hr"
    verbose_name = _("Human resources")

    def ready(self):
        from auditlog.registry import auditlog

        from amn.hr.models import (
            Promotion,
            RecruitmentCompetition,
            StaffMember,
            TrainingCompletion,
            TrainingCourse,
        )

        for model in (
            StaffMember,
            RecruitmentCompetition,
            Promotion,
            TrainingCourse,
            TrainingCompletion,
        ):
            auditlog.register(model)
