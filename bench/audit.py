"""Audit trail figures on this machine: overhead per answered request and sustained records/s,
on the embedded SQLite store and on a throwaway PostgreSQL server (fsync on, like production).

    .venv/bin/python bench/audit.py [--records 300] [--writers 4]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pgserver import PostgresServer
from ventanilla.audit.bench import run_bench
from ventanilla.settings import get_settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=300, help="records per writer")
    parser.add_argument("--writers", type=int, default=4, help="concurrent writer processes")
    args = parser.parse_args()
    settings = get_settings()
    results = {"sqlite": run_bench(settings, args.records, args.writers)}
    server = PostgresServer(fsync=True).start()
    try:
        url = server.create_database("audit_bench")
        results["postgresql"] = run_bench(settings, args.records, args.writers, url)
    finally:
        server.stop()
    for name, figures in results.items():
        print(
            f"{name:10s} overhead/request p50 {figures['overhead_ms_p50']} ms, "
            f"p95 {figures['overhead_ms_p95']} ms; "
            f"one writer {figures['records_per_s_one_writer']} records/s; "
            f"{figures['writers']} writers {figures['records_per_s_concurrent']} records/s; "
            f"chain ok {figures['chain_ok']} ({figures['chain_records']} records)"
        )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
