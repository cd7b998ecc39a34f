"""The tamper-evident hash chain of audit events.

Every event carries a sequence number, the hash of the event before it and its own hash:
SHA-256 over the previous hash and the event's canonical fields. Editing a stored event
breaks its hash; deleting one leaves a gap in the sequence or a broken link. The chain head
(`AuditChain`, one row) is locked by each append, so events are chained one at a time even
with several workers. Retention may purge the oldest events (never younger than a year, the
CJIS Security Policy's minimum); the head then keeps the anchor the verification starts from.
"""

import datetime
import hashlib
import ipaddress
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from amn.audit.models import AuditChain, AuditEvent

GENESIS_HASH = "0" * 64
RETENTION_MINIMUM = datetime.timedelta(days=365)


def event_digest(event: AuditEvent) -> str:
    """SHA-256 (hex, 64 characters) of `event.prev_hash` and the event's canonical fields."""
    fields = [
        event.seq,
        str(event.id),
        event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        event.actor_id,
        event.actor_unit_id,
        event.actor_role,
        event.action,
        event.target,
        event.target_id,
        event.reason,
        event.detail,
        event.ip_address,
        event.request_id,
    ]
    canonical = json.dumps(
        [event.prev_hash, fields], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _locked_head() -> AuditChain:
    head = AuditChain.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            AuditChain.objects.get_or_create(
                pk=1, defaults={"last_hash": GENESIS_HASH, "anchor_prev_hash": GENESIS_HASH}
            )
    except IntegrityError:
        pass  # another worker created the head first
    return AuditChain.objects.select_for_update().get(pk=1)


def chain_append(**fields) -> AuditEvent:
    """Append one event to the chain and return it, saved.

    Args:
        fields: AuditEvent fields (actor, actor_unit_id, actor_role, action, target,
            target_id, reason, detail, ip_address, request_id); `seq`, `at`, `prev_hash` and
            `row_hash` are set here.
    """
    if fields.get("ip_address"):
        fields["ip_address"] = ipaddress.ip_address(fields["ip_address"]).compressed
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        event = AuditEvent(
            seq=head.last_seq + 1, prev_hash=head.last_hash, at=timezone.now(), **fields
        )
        event.row_hash = event_digest(event)
        event.save()
        head.last_seq, head.last_hash = event.seq, event.row_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    """Outcome of `chain_verify`: events checked, whether the chain is intact, and where and
    why it is not (`first_bad_seq`, `problem`), plus the head hash to record elsewhere."""

    checked: int
    intact: bool
    head_hash: str
    first_bad_seq: int | None = None
    problem: str = ""


def chain_verify(*, using: str = "default") -> ChainReport:
    """Recompute the chain of database `using` from its anchor to its head.

    Returns:
        ChainReport: intact, or the first sequence number that is missing ("deleted"),
        altered ("altered": its hash or its link does not match) or missing at the end.
    """
    head = AuditChain.objects.using(using).filter(pk=1).first()
    if head is None:
        if AuditEvent.objects.using(using).exists():
            return ChainReport(0, False, "", None, "chain head missing")
        return ChainReport(0, True, GENESIS_HASH)
    expected_seq, prev_hash, checked = head.anchor_seq, head.anchor_prev_hash, 0
    events = AuditEvent.objects.using(using).filter(seq__gte=head.anchor_seq).order_by("seq")
    for event in events.iterator(chunk_size=5000):
        if event.seq != expected_seq:
            return ChainReport(checked, False, head.last_hash, expected_seq, "deleted")
        if event.prev_hash != prev_hash or event_digest(event) != event.row_hash:
            return ChainReport(checked, False, head.last_hash, event.seq, "altered")
        prev_hash, expected_seq, checked = event.row_hash, expected_seq + 1, checked + 1
    if expected_seq - 1 != head.last_seq or prev_hash != head.last_hash:
        return ChainReport(checked, False, head.last_hash, expected_seq, "deleted")
    return ChainReport(checked, True, head.last_hash)
