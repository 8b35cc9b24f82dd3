"""A writer process for the concurrency tests: appends N records (N < 0: forever) and prints each seq."""

from __future__ import annotations

import sys
from pathlib import Path

from ventanilla.audit.auditor import Auditor
from ventanilla.audit.record import Entry
from ventanilla.settings import Settings


def main() -> None:
    url, data_dir, count, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    auditor = Auditor(Settings(data_dir=Path(data_dir), audit_url=url or None, audit_anchor_every=10**9))
    i = 0
    while count < 0 or i < count:
        record = auditor.append(
            Entry(
                kind="answer",
                channel="test",
                domains=("prueba",),
                data={"writer": name, "n": i, "pad": "x" * 500},
            )
        )
        print(record["seq"], flush=True)
        i += 1


if __name__ == "__main__":
    main()
