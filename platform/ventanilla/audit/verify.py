"""Chain verification: names the first record that was modified, deleted, inserted or reordered.

Each record is checked, in chain order, for: its position (no gap: deleted records), its hash against
its content (modified), its seal against the audit secret (inserted or rewritten by someone without
the secret), its position inside the hashed body (reordered or renumbered), and its link to the record
before (prev_hash). After the last record the chain head and the anchors written outside the database
are checked: an anchor the chain no longer contains means the newest records were cut off.
After a purge the chain starts at the newest checkpoint record, which states where it resumes.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ventanilla.audit.anchors import read_anchors
from ventanilla.audit.record import GENESIS_HASH, record_hash, seal
from ventanilla.audit.store import AuditStore, Row

MAX_PROBLEMS = 100


@dataclass
class Problem:
    seq: int | None
    id: str | None
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "id": self.id, "reason": self.reason}


@dataclass
class VerifyReport:
    records: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    anchors_checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_bad(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def add(self, problem: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "first_bad": self.first_bad.as_json() if self.first_bad else None,
            "first_seq": self.first_seq,
            "last_seq": self.last_seq,
            "anchors_checked": self.anchors_checked,
            "problems": [p.as_json() for p in self.problems],
        }


def _row_problem(row: Row, body: dict[str, Any], key: bytes) -> str | None:
    """What is wrong with one record on its own (not its link to the one before), or None."""
    if record_hash(body) != row.hash:
        return "hash does not match the record's content (record modified)"
    if not hmac.compare_digest(seal(key, row.hash), row.seal):
        return "seal does not match the audit secret (record inserted or rewritten without the secret)"
    if body.get("seq") != row.seq:
        claimed = body.get("seq")
        return f"record at position {row.seq} says it is record {claimed} (records reordered or renumbered)"
    columns = {
        "id": row.id,
        "ts": row.ts,
        "kind": row.kind,
        "channel": row.channel,
        "prev_hash": row.prev_hash,
        "domains": row.domains,
    }
    hashed = {**body, "domains": "," + ",".join(body.get("domains", [])) + ","}
    for name, value in columns.items():
        if hashed.get(name) != value:
            return f"column '{name}' disagrees with the hashed record (record modified)"
    return None


def verify_chain(store: AuditStore, key: bytes, anchors_file: Path | None = None) -> VerifyReport:
    report = VerifyReport()
    anchors, anchor_problems = read_anchors(anchors_file, key) if anchors_file else ([], [])
    for bad in anchor_problems:
        report.add(Problem(None, None, f"anchor file line {bad.line}: {bad.reason}"))
    wanted: dict[int, list[str]] = {}
    for anchor in anchors:
        wanted.setdefault(anchor.seq, []).append(anchor.hash)
    with store.reading() as conn:
        head_seq, head_hash = store.head_in(conn)
        checkpoint = store.latest_checkpoint(conn)
        expected_seq, expected_prev = 1, GENESIS_HASH
        if checkpoint is not None:
            try:
                cp = json.loads(checkpoint.body)
                expected_seq = int(cp["purged_through_seq"]) + 1
                expected_prev = str(cp["purged_head_hash"])
            except (ValueError, KeyError, TypeError):
                report.add(Problem(checkpoint.seq, checkpoint.id, "checkpoint record unreadable"))
        start_seq, start_prev = expected_seq, expected_prev
        last_seq, last_hash = expected_seq - 1, expected_prev
        for row in store.rows(conn):
            report.records += 1
            if report.first_seq is None:
                report.first_seq = row.seq
            problem: str | None = None
            if row.seq > expected_seq:
                missing = (
                    f"{expected_seq}" if row.seq == expected_seq + 1 else f"{expected_seq}-{row.seq - 1}"
                )
                problem = f"record(s) {missing} missing before this one (records deleted)"
            elif row.seq < expected_seq:
                problem = f"record older than the purge checkpoint (expected {expected_seq} onwards)"
            try:
                body = json.loads(row.body)
                if not isinstance(body, dict):
                    raise ValueError("not an object")
            except ValueError:
                body, problem = {}, problem or "record body is not valid JSON (record modified)"
            problem = problem or _row_problem(row, body, key)
            if problem is None and row.prev_hash != expected_prev:
                problem = (
                    "previous hash does not match the record before it "
                    "(a record was deleted, inserted or reordered)"
                )
            if problem is not None:
                report.add(Problem(row.seq, row.id, problem))
            for digest in wanted.pop(row.seq, []):
                report.anchors_checked += 1
                if digest != row.hash:
                    report.add(
                        Problem(row.seq, row.id, "anchored hash differs from this record (record replaced)")
                    )
            expected_seq, expected_prev = row.seq + 1, row.hash
            last_seq, last_hash = row.seq, row.hash
        report.last_seq = last_seq if report.records else None
    if (head_seq, head_hash) != (last_seq, last_hash):
        report.add(
            Problem(
                head_seq,
                None,
                f"chain head (record {head_seq}) disagrees with the newest record ({last_seq})",
            )
        )
    for seq in sorted(wanted):
        if seq >= start_seq:
            report.add(
                Problem(
                    seq, None, f"anchored record {seq} is missing: the chain ends at {last_seq} (truncated)"
                )
            )
        elif seq == start_seq - 1:
            report.anchors_checked += 1
            if start_prev not in wanted[seq]:
                report.add(Problem(seq, None, "anchored hash differs from the purge checkpoint"))
        # anchors of purged records below the checkpoint are no longer checkable: nothing to do
    return report


def verify_export(lines: list[str], key: bytes | None = None) -> VerifyReport:
    """Check a JSON Lines export on its own: every hash recomputes, consecutive records link, and
    (with the secret) every seal matches. A filtered export (one domain) is checked record by record
    and wherever two exported records are consecutive in the chain."""
    report = VerifyReport()
    previous: dict[str, Any] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            seq, digest = int(record["seq"]), str(record["hash"])
        except (ValueError, KeyError, TypeError):
            report.add(Problem(None, None, f"line {number}: not an audit record"))
            continue
        report.records += 1
        report.first_seq = seq if report.first_seq is None else report.first_seq
        report.last_seq = seq
        ident = str(record.get("id"))
        if record_hash(record) != digest:
            report.add(Problem(seq, ident, "hash does not match the record's content (record modified)"))
        elif key is not None and not hmac.compare_digest(seal(key, digest), str(record.get("seal"))):
            report.add(Problem(seq, ident, "seal does not match the audit secret"))
        elif previous is not None and seq <= int(previous["seq"]):
            report.add(Problem(seq, ident, "records out of chain order (reordered)"))
        elif (
            previous is not None
            and seq == int(previous["seq"]) + 1
            and record.get("prev_hash") != previous["hash"]
        ):
            report.add(Problem(seq, ident, "previous hash does not match the record before it"))
        previous = record
    return report
