"""Export of audit records for a supervisor (AESIA): JSON Lines (complete) or CSV (one row a record).

JSON Lines carries each record exactly as hashed, plus `hash` and `seal`, so a contiguous export can be
re-verified outside the platform (`prev_hash` of each record is the `hash` of the one before, and the
hash is SHA-256 over the canonical JSON: see docs/audit.md). CSV flattens the same records for a
spreadsheet; nested values are JSON text.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal, TextIO

from ventanilla.audit.record import canonical_json, format_ts
from ventanilla.audit.schema import records
from ventanilla.audit.store import AuditStore

Format = Literal["jsonl", "csv"]
CSV_COLUMNS = (
    "seq", "id", "ts", "kind", "channel", "domains", "caller", "language", "mode", "question", "answer",
    "sources", "citations", "evidence", "model", "prompt", "generation", "retrieval", "latency_ms",
    "platform_version", "audit_id", "rating", "comment", "purged_through_seq", "purged_count",
    "prev_hash", "hash", "seal", "other",
)  # fmt: skip


class ExportError(ValueError):
    """A bad date or range."""


def parse_bound(value: str | None, end: bool) -> str | None:
    """`2026-06-30` or an ISO datetime → a timestamp bound; a date as upper bound includes that day."""
    if value is None:
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC) + (
                timedelta(days=1) if end else timedelta()
            )
        else:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
    except ValueError as exc:
        raise ExportError(f"not a date or ISO datetime: '{value}'") from exc
    return format_ts(moment)


def select_records(
    store: AuditStore,
    ts_from: str | None = None,
    ts_to: str | None = None,
    domain: str | None = None,
    kinds: tuple[str, ...] | None = None,
) -> Iterator[dict[str, Any]]:
    """Records with `ts_from <= ts < ts_to`, in chain order, each with its hash and seal."""
    where: list[Any] = []
    if ts_from is not None:
        where.append(records.c.ts >= ts_from)
    if ts_to is not None:
        where.append(records.c.ts < ts_to)
    if domain is not None:
        where.append(records.c.domains.like(f"%,{domain},%"))
    if kinds:
        where.append(records.c.kind.in_(kinds))
    with store.reading() as conn:
        for row in store.rows(conn, *where):
            yield row.record()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def write_export(rows: Iterator[dict[str, Any]], out: TextIO, fmt: Format) -> int:
    """Write the records; returns how many."""
    count = 0
    if fmt == "jsonl":
        for record in rows:
            out.write(canonical_json(record) + "\n")
            count += 1
        return count
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    known = set(CSV_COLUMNS)
    for record in rows:
        other = {k: v for k, v in record.items() if k not in known and k != "schema"}
        values = {**record, "other": other or None}
        writer.writerow([_cell(values.get(column)) for column in CSV_COLUMNS])
        count += 1
    return count
