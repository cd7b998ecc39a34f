from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """Kinds of event the audit trail records beside django-auditlog's field changes."""

    VIEW = "view", _("Viewed a record")
    DENIED = "denied", _("Read refused (absent or out of scope)")
    LIST = "list", _("Listed records")
    BULK_LOAD = "bulk_load", _("Loaded reference or bulk data")
    SEARCH = "search", _("Searched records")
    PURGE = "purge", _("Purged audit events past retention")
