"""Append-only audit events: who read which record, and bulk writes outside the ORM signals.

Field-level changes of domain records are kept by django-auditlog (`auditlog.LogEntry`);
this table holds what auditlog cannot see.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amn.audit.choices import AuditAction


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    """Refuses bulk update() and delete(): the trail is append-only."""

    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    """One audit event.

    `target` is "<app_label>.<model>" and `target_id` the record's opaque id (UUID), never a
    name or a document number, so the trail itself holds no personal data beyond the actor.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("actor's unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=16, choices=AuditAction.choices)
    target = models.CharField(_("record type"), max_length=64)
    target_id = models.CharField(_("record id"), max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    actor_role = models.CharField(_("actor's role"), max_length=32, blank=True)
    seq = models.BigIntegerField(_("sequence number"), unique=True)
    prev_hash = models.CharField(_("previous event's hash"), max_length=64)
    row_hash = models.CharField(_("hash"), max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["target", "target_id"])]
        default_permissions = ("view",)
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.target} {self.target_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("audit events cannot be changed")
        # A fresh instance carrying an existing id must fail, not overwrite the stored row.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditChain(models.Model):
    """The head of the audit hash chain (one row, pk=1): the last sequence number and hash,
    locked by every append so events are chained one after another, and the anchor from
    which `amn audit-verify` starts once retention has purged older events."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)
    anchor_seq = models.BigIntegerField(
        default=1, help_text=_("First sequence number still kept (older ones were purged).")
    )
    anchor_prev_hash = models.CharField(max_length=64)

    class Meta:
        default_permissions = ("view",)
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"audit chain at {self.last_seq}"
