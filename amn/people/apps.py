from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "amn.people"
    verbose_name = _("Person registry")

    def ready(self):
        from auditlog.registry import auditlog

        from amn.people.models import Person

        auditlog.register(Person)
