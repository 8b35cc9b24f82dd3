"""Chain anchors: the head of the chain, keyed with the audit secret, written outside the database.

Someone who can write to the database can delete the newest records and move the head back; the
chain alone cannot show that. An anchor (`seq`, `hash`, time, HMAC) appended to a file elsewhere can:
verification finds every anchored record in the chain or reports the truncation. Writers add one
every `VENTANILLA_AUDIT_ANCHOR_EVERY` records; `ventanilla audit anchor` adds one on demand (cron).
In production the file lives on other storage (another host, WORM bucket, the supervisor's inbox).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ventanilla.audit.record import canonical_json, utc_now
from ventanilla.settings import Settings


def anchor_path(settings: Settings) -> Path:
    return settings.audit_anchor_path or settings.data_dir / "audit" / "anchors.jsonl"


def _mac(key: bytes, seq: int, digest: str, ts: str) -> str:
    message = canonical_json({"seq": seq, "hash": digest, "ts": ts}).encode("utf-8")
    return hmac.new(key, b"anchor:" + message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    ts: str
    mac: str

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "ts": self.ts, "mac": self.mac}


def make_anchor(key: bytes, seq: int, digest: str) -> Anchor:
    ts = utc_now()
    return Anchor(seq, digest, ts, _mac(key, seq, digest, ts))


def write_anchor(path: Path, anchor: Anchor) -> None:
    """Append one anchor line (locked, flushed to disk)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (canonical_json(anchor.as_json()) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class AnchorProblem:
    line: int
    reason: str


def read_anchors(path: Path, key: bytes) -> tuple[list[Anchor], list[AnchorProblem]]:
    """The anchors whose MAC checks, and the lines that do not (forged, edited or torn)."""
    good: list[Anchor] = []
    bad: list[AnchorProblem] = []
    if not path.is_file():
        return good, bad
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            anchor = Anchor(int(raw["seq"]), str(raw["hash"]), str(raw["ts"]), str(raw["mac"]))
        except (ValueError, KeyError, TypeError):
            bad.append(AnchorProblem(number, "unreadable anchor line"))
            continue
        if not hmac.compare_digest(anchor.mac, _mac(key, anchor.seq, anchor.hash, anchor.ts)):
            bad.append(AnchorProblem(number, "anchor MAC does not match (forged or edited)"))
            continue
        good.append(anchor)
    return good, bad
