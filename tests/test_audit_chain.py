"""The audit chain on SQLite and on a real PostgreSQL server: every kind of tampering is named,
truncation is caught by the anchors, purge keeps the chain verifiable, exports re-verify."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from ventanilla.audit.anchors import anchor_path
from ventanilla.audit.auditor import Auditor
from ventanilla.audit.export import parse_bound, select_records, write_export
from ventanilla.audit.keys import load_keys
from ventanilla.audit.record import GENESIS_HASH, Entry, canonical_json, finish, parse_ts, record_hash
from ventanilla.audit.retention import RetentionError, purge, retention_days
from ventanilla.audit.verify import verify_export
from ventanilla.settings import Settings


def _entry(n: int, domain: str = "prueba") -> Entry:
    return Entry(
        kind="answer", channel="test", domains=(domain,), data={"n": n, "question": f"pregunta {n} ñ"}
    )


@pytest.fixture
def auditor(audit_settings: Settings) -> Any:
    auditor = Auditor(audit_settings)
    for n in range(1, 11):
        auditor.append(_entry(n, "tax" if n % 2 else "health"))
    yield auditor
    auditor.close()


def _sql(auditor: Auditor, statement: str, **params: Any) -> None:
    with auditor.store.engine.begin() as conn:
        conn.execute(text(statement), params)


def _row(auditor: Auditor, seq: int) -> dict[str, Any]:
    with auditor.store.engine.connect() as conn:
        return dict(
            conn.execute(text("SELECT * FROM audit_record WHERE seq = :s"), {"s": seq}).one()._mapping
        )


def test_untouched_chain_verifies(auditor: Auditor) -> None:
    report = auditor.verify().as_json()
    assert report["ok"] is True and report["records"] == 10 and report["first_bad"] is None
    assert report["anchors_checked"] == 2  # anchors at 5 and 10 (every 5 records)
    first = _row(auditor, 1)
    assert first["prev_hash"] == GENESIS_HASH
    assert first["hash"] == hashlib.sha256(first["body"].encode()).hexdigest()  # SHA-256 of canonical JSON
    assert _row(auditor, 2)["prev_hash"] == first["hash"]


def test_modified_record_is_named(auditor: Auditor) -> None:
    body = _row(auditor, 5)["body"].replace("pregunta 5", "pregunta cambiada")
    _sql(auditor, "UPDATE audit_record SET body = :b WHERE seq = 5", b=body)
    bad = auditor.verify().first_bad
    assert bad is not None and bad.seq == 5 and "modified" in bad.reason


def test_modified_column_is_named(auditor: Auditor) -> None:
    _sql(auditor, "UPDATE audit_record SET domains = ',justice,' WHERE seq = 4")
    bad = auditor.verify().first_bad
    assert bad is not None and bad.seq == 4 and "domains" in bad.reason


def test_rehashed_modification_is_named_by_its_seal(auditor: Auditor) -> None:
    row = _row(auditor, 6)
    body = json.loads(row["body"])
    body["question"] = "otra"
    _sql(
        auditor,
        "UPDATE audit_record SET body = :b, hash = :h WHERE seq = 6",
        b=canonical_json(body),
        h=record_hash(body),
    )
    bad = auditor.verify().first_bad
    assert bad is not None and bad.seq == 6 and "seal" in bad.reason


def test_deleted_record_is_named(auditor: Auditor) -> None:
    _sql(auditor, "DELETE FROM audit_record WHERE seq = 5")
    report = auditor.verify()
    assert not report.ok and report.records == 9
    assert report.first_bad is not None and report.first_bad.seq == 6
    assert "5 missing" in report.first_bad.reason


def test_inserted_record_is_named(auditor: Auditor) -> None:
    # Make room at position 5 and insert a well-formed record (correct SHA-256, linked to record 4)
    # forged without the audit secret.
    _sql(auditor, "UPDATE audit_record SET seq = seq + 1000 WHERE seq >= 5")
    _sql(auditor, "UPDATE audit_record SET seq = seq - 999 WHERE seq >= 1000")
    previous = _row(auditor, 4)
    hashed = _entry(99).body(5, previous["ts"], previous["hash"])
    forged = finish(hashed, b"not the audit secret")
    _sql(
        auditor,
        "INSERT INTO audit_record (seq, id, ts, kind, channel, domains, body, prev_hash, hash, seal) "
        "VALUES (5, :id, :ts, 'answer', 'test', ',prueba,', :body, :prev, :hash, :seal)",
        id=forged["id"], ts=forged["ts"], body=canonical_json(hashed),
        prev=previous["hash"], hash=forged["hash"], seal=forged["seal"],
    )  # fmt: skip
    bad = auditor.verify().first_bad
    assert bad is not None and bad.seq == 5 and bad.id == forged["id"] and "seal" in bad.reason


def test_reordered_records_are_named(auditor: Auditor) -> None:
    _sql(auditor, "UPDATE audit_record SET seq = 1000 WHERE seq = 5")
    _sql(auditor, "UPDATE audit_record SET seq = 5 WHERE seq = 6")
    _sql(auditor, "UPDATE audit_record SET seq = 6 WHERE seq = 1000")
    bad = auditor.verify().first_bad
    assert bad is not None and bad.seq == 5 and "reordered" in bad.reason


def test_truncation_is_detected_through_the_anchor(auditor: Auditor) -> None:
    # Cut the three newest records and move the head back consistently: the chain alone looks fine...
    seven = _row(auditor, 7)
    _sql(auditor, "DELETE FROM audit_record WHERE seq > 7")
    _sql(auditor, "UPDATE audit_chain_head SET seq = 7, hash = :h", h=seven["hash"])
    anchors = anchor_path(auditor.settings)
    kept = anchors.read_text()
    anchors.unlink()
    assert auditor.verify().ok
    # ...but the anchor of record 10, written outside the database, shows the cut.
    anchors.write_text(kept)
    report = auditor.verify()
    assert not report.ok
    assert (
        report.first_bad is not None and report.first_bad.seq == 10 and "truncated" in report.first_bad.reason
    )


def test_forged_anchor_is_reported(auditor: Auditor) -> None:
    path = anchor_path(auditor.settings)
    line = json.loads(path.read_text().splitlines()[0])
    line["seq"] = 3
    path.write_text(path.read_text() + json.dumps(line) + "\n")
    report = auditor.verify()
    assert not report.ok and report.first_bad is not None and "MAC" in report.first_bad.reason


def test_head_moved_back_without_anchor_is_reported(auditor: Auditor) -> None:
    _sql(auditor, "DELETE FROM audit_record WHERE seq = 10")
    anchor_path(auditor.settings).unlink()
    report = auditor.verify()
    assert not report.ok and "chain head" in report.problems[-1].reason


def test_purge_keeps_the_chain_verifiable(auditor: Auditor) -> None:
    keys = load_keys(auditor.settings)
    sixth = _row(auditor, 6)
    now = parse_ts(sixth["ts"]) + timedelta(days=183)  # records 1-5 are now older than six months
    dry = purge(auditor.store, keys.seal_key, 183, now=now, dry_run=True)
    assert dry.purged == 5 and auditor.store.count() == 10
    report = purge(auditor.store, keys.seal_key, 183, now=now)
    assert report.purged == 5 and report.purged_through_seq == 5
    verified = auditor.verify()
    assert verified.ok, verified.as_json()
    assert (
        verified.records == 6 and verified.first_seq == 6 and verified.last_seq == 11
    )  # 5 kept + checkpoint
    checkpoint = _row(auditor, 11)
    assert checkpoint["kind"] == "checkpoint" and json.loads(checkpoint["body"])["purged_count"] == 5
    auditor.append(_entry(12))
    assert auditor.verify().ok
    # Deleting the oldest remaining record after the purge is still caught.
    _sql(auditor, "DELETE FROM audit_record WHERE seq = 6")
    bad = auditor.verify().first_bad
    assert bad is not None and bad.seq == 7 and "missing" in bad.reason


def test_deleting_the_oldest_records_without_checkpoint_is_caught(auditor: Auditor) -> None:
    _sql(auditor, "DELETE FROM audit_record WHERE seq <= 3")
    bad = auditor.verify().first_bad
    assert bad is not None and bad.seq == 4 and "1-3 missing" in bad.reason


def test_retention_is_six_months_unless_shortened_on_purpose(tmp_path: Any) -> None:
    assert retention_days(Settings(data_dir=tmp_path)) == 183
    with pytest.raises(RetentionError, match="six months"):
        retention_days(Settings(data_dir=tmp_path, audit_retention_days=30))
    with pytest.raises(RetentionError):
        retention_days(Settings(data_dir=tmp_path), override=90)
    assert (
        retention_days(Settings(data_dir=tmp_path, audit_retention_days=30, audit_allow_short_retention=True))
        == 30
    )


def test_export_jsonl_reverifies_and_filters(auditor: Auditor) -> None:
    buffer = io.StringIO()
    assert write_export(select_records(auditor.store), buffer, "jsonl") == 10
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    previous = GENESIS_HASH
    for record in lines:  # what a supervisor can do with the export alone
        assert record["prev_hash"] == previous and record_hash(record) == record["hash"]
        previous = record["hash"]
    taxed = list(select_records(auditor.store, domain="tax"))
    assert [r["n"] for r in taxed] == [1, 3, 5, 7, 9]
    window = list(select_records(auditor.store, ts_from=lines[2]["ts"], ts_to=lines[5]["ts"]))
    assert [r["seq"] for r in window] == [3, 4, 5]
    assert list(select_records(auditor.store, ts_from=parse_bound("2999-01-01", end=False))) == []


def test_exported_file_verifies_on_its_own(auditor: Auditor) -> None:
    buffer = io.StringIO()
    write_export(select_records(auditor.store), buffer, "jsonl")
    lines = buffer.getvalue().splitlines()
    key = load_keys(auditor.settings).seal_key
    assert verify_export(lines, key).ok and verify_export(lines).ok
    assert verify_export([ln for ln in lines if '"tax"' in ln], key).ok  # a filtered export too
    edited = [ln.replace("pregunta 4", "pregunta 44") if i == 3 else ln for i, ln in enumerate(lines)]
    bad = verify_export(edited).first_bad
    assert bad is not None and bad.seq == 4 and "modified" in bad.reason
    swapped = [*lines[:2], lines[3], lines[2], *lines[4:]]
    bad = verify_export(swapped, key).first_bad
    assert bad is not None and bad.seq == 3


def test_export_csv(auditor: Auditor) -> None:
    buffer = io.StringIO()
    assert write_export(select_records(auditor.store, domain="health"), buffer, "csv") == 5
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert [r["seq"] for r in rows] == ["2", "4", "6", "8", "10"]
    assert rows[0]["domains"] == '["health"]' and len(rows[0]["hash"]) == 64
    assert json.loads(rows[0]["other"]) == {"n": 2}
