from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobileunitsConfig(AppConfig):
    name = "amn.mobileunits"
    verbose_name = _("Mobile units")
