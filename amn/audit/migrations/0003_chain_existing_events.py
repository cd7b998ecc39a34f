"""Chain the events recorded before the hash chain existed, in the order they were made."""

import datetime
import hashlib
import json

from django.db import migrations

GENESIS_HASH = "0" * 64


def _digest(event) -> str:
    # The same canonical form as amn.audit.chain.event_digest, frozen for this migration.
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


def chain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChain = apps.get_model("audit", "AuditChain")
    prev_hash, seq = GENESIS_HASH, 0
    for event in AuditEvent.objects.order_by("at", "id").iterator(chunk_size=2000):
        seq += 1
        event.seq, event.prev_hash = seq, prev_hash
        event.row_hash = _digest(event)
        AuditEvent.objects.filter(pk=event.pk).update(
            seq=event.seq, prev_hash=event.prev_hash, row_hash=event.row_hash
        )
        prev_hash = event.row_hash
    AuditChain.objects.create(
        pk=1, last_seq=seq, last_hash=prev_hash, anchor_prev_hash=GENESIS_HASH
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_hash_chain_fields")]

    operations = [migrations.RunPython(chain, migrations.RunPython.noop)]
