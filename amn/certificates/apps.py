from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "amn.certificates"
    verbose_name = _("Criminal-record certificates")
