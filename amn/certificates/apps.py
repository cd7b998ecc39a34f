from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "amn.certificates"
    verbose_name = _("Criminal-record certificates")

    def ready(self):
        from auditlog.registry import auditlog

        from amn.certificates.models import Certificate, CertificateApplication, ReviewDecision

        # Field changes of applications, decisions and certificates land in the audit log;
        # the check result (candidates' scores) is bulky and kept on the row itself.
        auditlog.register(CertificateApplication, exclude_fields=["check_result"])
        auditlog.register(ReviewDecision)
        auditlog.register(Certificate, exclude_fields=["seal_payload"])
