from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealsConfig(AppConfig):
    name = "amn.seals"
    verbose_name = _("Seals and signatures")

    def ready(self):
        from amn.seals import checks  # noqa: F401  (registers the system checks)
