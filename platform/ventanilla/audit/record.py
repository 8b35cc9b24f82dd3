"""An audit record and its canonical hash.

A record is a JSON object. Its `hash` is SHA-256 over the canonical JSON of every other field
(keys sorted, no insignificant whitespace, UTF-8), so anyone holding an export can recompute it; the
`prev_hash` field chains it to the record before. Its `seal` is an HMAC of that hash with the audit
secret, so a record that was inserted or rewritten by someone without the secret is named as such.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

GENESIS_HASH = "0" * 64
SCHEMA_VERSION = 1
Kind = Literal["answer", "feedback", "checkpoint"]
KINDS: tuple[str, ...] = ("answer", "feedback", "checkpoint")


def canonical_json(value: Any) -> str:
    """The one JSON text of `value` that is hashed: sorted keys, compact separators, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def record_hash(body: dict[str, Any]) -> str:
    """SHA-256 hex of the canonical JSON of the record without its `hash` and `seal` fields."""
    hashed = {k: v for k, v in body.items() if k not in ("hash", "seal")}
    return hashlib.sha256(canonical_json(hashed).encode("utf-8")).hexdigest()


def seal(key: bytes, digest: str) -> str:
    """HMAC-SHA256 of a record hash with the audit secret."""
    return hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()


def utc_now() -> str:
    """UTC timestamp with microseconds, `2026-12-02T16:40:00.123456Z` (sorts as text)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ts(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def format_ts(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Entry:
    """What a writer hands to the store: the content of a record before it is chained."""

    kind: Kind
    channel: str
    domains: tuple[str, ...]
    data: dict[str, Any]
    id: str = ""

    def body(self, seq: int, ts: str, prev_hash: str) -> dict[str, Any]:
        """The full record body (everything hashed), at chain position `seq`."""
        return {
            "schema": SCHEMA_VERSION,
            "seq": seq,
            "id": self.id or new_id(),
            "ts": ts,
            "kind": self.kind,
            "channel": self.channel,
            "domains": list(self.domains),
            **self.data,
            "prev_hash": prev_hash,
        }


def finish(body: dict[str, Any], key: bytes) -> dict[str, Any]:
    """The body with its `hash` and `seal` added."""
    digest = record_hash(body)
    return {**body, "hash": digest, "seal": seal(key, digest)}
