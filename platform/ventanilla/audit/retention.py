"""Retention: records older than the retention period are purged, and the chain stays verifiable.

The AI Act asks deployers to keep logs at least six months (Art. 19, 26(6)); the default is 183 days
and a shorter period is refused unless `VENTANILLA_AUDIT_ALLOW_SHORT_RETENTION=true` is set on purpose
(for example where another law requires deleting sooner). Purging deletes the oldest records (a prefix
of the chain) and appends, in the same transaction, a sealed checkpoint record that states how many
records were removed and the hash of the last one: verification then starts the chain there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from ventanilla.audit.record import Entry, format_ts
from ventanilla.audit.schema import records
from ventanilla.audit.store import AuditStore
from ventanilla.settings import Settings

MIN_RETENTION_DAYS = 183  # six months


class RetentionError(ValueError):
    """A retention period shorter than six months without the explicit setting."""


def retention_days(settings: Settings, override: int | None = None) -> int:
    days = override if override is not None else settings.audit_retention_days
    if days < 1:
        raise RetentionError("the retention period must be at least one day")
    if days < MIN_RETENTION_DAYS and not settings.audit_allow_short_retention:
        raise RetentionError(
            f"a retention of {days} days is shorter than six months ({MIN_RETENTION_DAYS} days): set "
            "VENTANILLA_AUDIT_ALLOW_SHORT_RETENTION=true on purpose to allow it"
        )
    return days


@dataclass(frozen=True)
class PurgeReport:
    cutoff: str
    purged: int
    purged_through_seq: int | None
    checkpoint_id: str | None
    dry_run: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "cutoff": self.cutoff,
            "purged": self.purged,
            "purged_through_seq": self.purged_through_seq,
            "checkpoint_id": self.checkpoint_id,
            "dry_run": self.dry_run,
        }


def purge(
    store: AuditStore, key: bytes, days: int, now: datetime | None = None, dry_run: bool = False
) -> PurgeReport:
    """Delete the longest prefix of the chain older than `days` and append a checkpoint record.

    `days` must come from `retention_days` (which enforces the six-month floor).
    """
    cutoff = format_ts((now or datetime.now(UTC)) - timedelta(days=days))
    with store.locked() as (conn, head_seq, head_hash):
        first_kept = conn.execute(select(func.min(records.c.seq)).where(records.c.ts >= cutoff)).scalar_one()
        through = (int(first_kept) - 1) if first_kept is not None else head_seq
        oldest = conn.execute(select(func.min(records.c.seq))).scalar_one()
        if oldest is None or through < int(oldest):
            return PurgeReport(cutoff, 0, None, None, dry_run)
        count = int(
            conn.execute(
                select(func.count()).select_from(records).where(records.c.seq <= through)
            ).scalar_one()
        )
        if dry_run:
            return PurgeReport(cutoff, count, through, None, True)
        last_hash = conn.execute(select(records.c.hash).where(records.c.seq == through)).scalar_one()
        previous = store.latest_checkpoint(conn)
        earlier = 0
        if previous is not None:
            earlier = int(json.loads(previous.body).get("purged_total", 0))
        store.delete_through(conn, through)
        entry = Entry(
            kind="checkpoint",
            channel="operator",
            domains=(),
            data={
                "purged_through_seq": through,
                "purged_head_hash": last_hash,
                "purged_count": count,
                "purged_total": earlier + count,
                "cutoff": cutoff,
                "retention_days": days,
            },
        )
        written = store.insert(conn, entry, head_seq + 1, head_hash, key)
        return PurgeReport(cutoff, count, through, str(written["id"]), False)
