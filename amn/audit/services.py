"""Writes of the audit trail."""

from django.db import models

from amn.audit import context
from amn.audit.choices import AuditAction
from amn.audit.models import AuditEvent


def audit_event_record(
    *,
    actor,
    action: str,
    target: str | models.Model,
    target_id: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one audit event, with the IP and request id of the current request if any.

    Args:
        actor: the User acting, or None for the command line and background jobs.
        action: an AuditAction value ("view", "list", "bulk_load").
        target: a model instance (its label and pk are taken) or a "<app>.<model>" label.
        target_id: the record's opaque id when `target` is a label.
        reason: why the actor read the record, when the workflow asks for one.
        detail: JSON-safe extra facts (counts, filters) — never names or document numbers.
    Returns:
        AuditEvent, saved.
    """
    if isinstance(target, models.Model):
        target, target_id = target._meta.label_lower, str(target.pk)
    request = context.current.get()
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_unit_id=getattr(actor, "unit_id", None),
        action=AuditAction(action),
        target=target,
        target_id=target_id,
        reason=reason,
        detail=detail or {},
        ip_address=request.ip_address if request else None,
        request_id=request.request_id if request else "",
    )
