from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdcardsConfig(AppConfig):
    name = "amn.idcards"
    verbose_name = _("Identity cards (CNIE)")
