"""Writes of the audit trail."""

import datetime

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.audit import context
from amn.audit.chain import RETENTION_MINIMUM, chain_append
from amn.audit.choices import AuditAction
from amn.audit.models import AuditChain, AuditEvent
from amn.core.errors import DomainError


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
    return chain_append(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_unit_id=getattr(actor, "unit_id", None),
        actor_role=getattr(actor, "role", "") or "",
        action=AuditAction(action),
        target=target,
        target_id=target_id,
        reason=reason,
        detail=detail or {},
        ip_address=request.ip_address if request else None,
        request_id=request.request_id if request else "",
    )


@transaction.atomic
def audit_purge(*, actor, before: datetime.date) -> int:
    """Delete the audit events recorded before `before` (a date, Africa/Casablanca), oldest
    first, keeping the chain verifiable from the first event kept, and record the purge as an
    event. Meant for the database owner's role: the application's role has no DELETE on the
    audit table (see `amn db-grants`).

    Returns:
        int: the number of events deleted.
    Raises:
        DomainError: `before` is less than one year ago (the CJIS Security Policy asks for
            audit records to be kept at least one year).
    """
    if before > timezone.localdate() - RETENTION_MINIMUM:
        raise DomainError(_("Audit events are kept at least one year: choose an earlier date."))
    cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    head = AuditChain.objects.select_for_update().filter(pk=1).first()
    kept = AuditEvent.objects.filter(at__gte=cutoff).order_by("seq").first()
    if head is None or kept is None:
        return 0
    doomed = AuditEvent.objects.filter(seq__lt=kept.seq, seq__gte=head.anchor_seq)
    deleted = doomed._raw_delete(doomed.db)
    head.anchor_seq, head.anchor_prev_hash = kept.seq, kept.prev_hash
    head.save(update_fields=["anchor_seq", "anchor_prev_hash"])
    audit_event_record(
        actor=actor,
        action=AuditAction.PURGE,
        target="audit.auditevent",
        detail={"deleted": deleted, "before": before.isoformat()},
    )
    return deleted
