"""Real processes writing to one audit store at once keep one chain; a writer killed mid-write
leaves a verifiable chain (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ventanilla.audit.auditor import Auditor
from ventanilla.audit.record import Entry
from ventanilla.audit.store import store_url
from ventanilla.settings import Settings

WRITER = Path(__file__).with_name("audit_writer.py")


def _spawn(settings: Settings, count: int, name: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent)}
    return subprocess.Popen(
        [sys.executable, str(WRITER), store_url(settings), str(settings.data_dir), str(count), name],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_concurrent_writers_keep_one_chain(audit_settings: Settings) -> None:
    auditor = Auditor(audit_settings)
    auditor.store.migrate()
    writers, each = 4, 40
    procs = [_spawn(audit_settings, each, f"w{i}") for i in range(writers)]
    seqs: list[int] = []
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        seqs.extend(int(line) for line in out.split())
    # every acknowledged write got its own position, no position twice, no gap
    assert sorted(seqs) == list(range(1, writers * each + 1))
    report = auditor.verify()
    assert report.ok, report.as_json()
    assert report.records == writers * each
    with auditor.store.reading() as conn:
        writers_seen = {r.record()["writer"] for r in auditor.store.rows(conn)}
    assert writers_seen == {f"w{i}" for i in range(writers)}
    auditor.close()


def test_killed_writer_leaves_a_verifiable_chain(audit_settings: Settings) -> None:
    auditor = Auditor(audit_settings)
    auditor.store.migrate()
    steady = _spawn(audit_settings, 60, "steady")
    for round_ in range(3):
        victim = _spawn(audit_settings, -1, f"victim{round_}")
        assert victim.stdout is not None
        for _ in range(10 + 7 * round_):  # let it write a few, then kill it at an arbitrary point
            assert victim.stdout.readline()
        time.sleep(0.003 * round_)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        victim.stdout.close()
        assert victim.stderr is not None
        victim.stderr.close()
        report = auditor.verify()
        assert report.ok, report.as_json()
    _, err = steady.communicate(timeout=180)
    assert steady.returncode == 0, err
    auditor.append(Entry(kind="answer", channel="test", domains=("prueba",), data={"after": "kill"}))
    report = auditor.verify()
    assert report.ok, report.as_json()
    assert report.records >= 60 + 10 + 17 + 24 + 1
    auditor.close()
