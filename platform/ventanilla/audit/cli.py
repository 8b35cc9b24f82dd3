"""`ventanilla audit …`: verify the chain, export for a supervisor, anchor, purge, benchmark."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

audit_app = typer.Typer(
    help="The AI Act audit trail: verify, export, anchor, purge (docs/audit.md).", no_args_is_help=True
)
console = Console(stderr=True)
out = Console()


def _fail(message: str, code: int = 2) -> None:
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


@audit_app.command()
def verify(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print {ok, records, first_bad, ...} as JSON.")
    ] = False,
    file: Annotated[
        Path | None, typer.Option("--file", help="Verify a JSON Lines export instead of the store.")
    ] = None,
) -> None:
    """Check every record's hash, seal and link, the chain head and the anchors. Exit 1 if tampered."""
    from ventanilla.audit.auditor import Auditor
    from ventanilla.audit.verify import verify_export
    from ventanilla.settings import get_settings

    auditor = Auditor(get_settings())
    try:
        if file is not None:
            report = verify_export(file.read_text(encoding="utf-8").splitlines(), auditor.keys.seal_key)
        else:
            report = auditor.verify()
    except Exception as exc:
        _fail(f"cannot read the audit store {auditor.describe()}: {exc}")
        return
    if as_json:
        out.print_json(json.dumps(report.as_json(), ensure_ascii=False))
    else:
        state = "[green]ok[/]" if report.ok else "[bold red]TAMPERED[/]"
        span = f" (seq {report.first_seq}..{report.last_seq})" if report.records else ""
        out.print(f"{state}: {report.records} records{span}, {report.anchors_checked} anchors checked")
        if report.first_bad is not None:
            bad = report.first_bad
            out.print(f"first bad: seq {bad.seq} id {bad.id}: {bad.reason}")
            for problem in report.problems[1:10]:
                out.print(f"  also: seq {problem.seq}: {problem.reason}")
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command()
def export(
    from_: Annotated[
        str | None, typer.Option("--from", help="First day or ISO datetime (UTC), inclusive.")
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Last day (inclusive) or ISO datetime (exclusive).")
    ] = None,
    domain: Annotated[str | None, typer.Option(help="Only records of this domain.")] = None,
    kind: Annotated[str | None, typer.Option(help="Only answer, feedback or checkpoint records.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="jsonl (complete, re-verifiable) or csv.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default stdout).")
    ] = None,
) -> None:
    """Export records for a supervisor (AESIA), in chain order."""
    from ventanilla.audit.auditor import Auditor
    from ventanilla.audit.export import ExportError, parse_bound, select_records, write_export
    from ventanilla.audit.record import KINDS
    from ventanilla.settings import get_settings

    if fmt not in ("jsonl", "csv"):
        _fail("--format must be jsonl or csv")
    if kind is not None and kind not in KINDS:
        _fail(f"--kind must be one of {', '.join(KINDS)}")
    try:
        ts_from, ts_to = parse_bound(from_, end=False), parse_bound(to, end=True)
    except ExportError as exc:
        _fail(str(exc))
        return
    auditor = Auditor(get_settings())
    rows = select_records(auditor.store, ts_from, ts_to, domain, (kind,) if kind else None)
    try:
        if output is None:
            count = write_export(rows, sys.stdout, fmt)  # type: ignore[arg-type]
        else:
            with output.open("w", encoding="utf-8", newline="") as handle:
                count = write_export(rows, handle, fmt)  # type: ignore[arg-type]
    except Exception as exc:
        _fail(f"export failed ({auditor.describe()}): {exc}")
        return
    console.print(f"exported {count} records")


@audit_app.command()
def anchor() -> None:
    """Write an anchor of the chain head to the anchor file (run it from cron, e.g. hourly)."""
    from ventanilla.audit.anchors import anchor_path
    from ventanilla.audit.auditor import Auditor
    from ventanilla.settings import get_settings

    settings = get_settings()
    try:
        written = Auditor(settings).write_anchor()
    except Exception as exc:
        _fail(f"cannot anchor: {exc}")
        return
    out.print(f"anchored record {written.seq} ({written.hash[:16]}…) in {anchor_path(settings)}")


@audit_app.command()
def purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would be purged.")] = False,
    days: Annotated[
        int | None, typer.Option(help="Keep this many days (default VENTANILLA_AUDIT_RETENTION_DAYS).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Delete records older than the retention period (six months by default); a checkpoint record
    keeps the remaining chain verifiable."""
    from ventanilla.audit.auditor import Auditor
    from ventanilla.audit.retention import RetentionError, retention_days
    from ventanilla.audit.retention import purge as run_purge
    from ventanilla.settings import get_settings

    settings = get_settings()
    try:
        keep = retention_days(settings, days)
    except RetentionError as exc:
        _fail(str(exc))
        return
    auditor = Auditor(settings)
    try:
        report = run_purge(auditor.store, auditor.keys.seal_key, keep, dry_run=dry_run)
    except Exception as exc:
        _fail(f"purge failed ({auditor.describe()}): {exc}")
        return
    if as_json:
        out.print_json(json.dumps(report.as_json()))
    else:
        verb = "would purge" if dry_run else "purged"
        out.print(f"{verb} {report.purged} records older than {report.cutoff} (retention {keep} days)")


@audit_app.command()
def bench(
    records: Annotated[int, typer.Option(help="Records written by each writer.")] = 300,
    writers: Annotated[int, typer.Option(help="Concurrent writer processes for the sustained rate.")] = 4,
    url: Annotated[
        str | None, typer.Option(help="A SCRATCH store URL (default: a temporary SQLite file).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Audit overhead per request (ms, p50/p95) and sustained records per second."""
    from ventanilla.audit.bench import run_bench
    from ventanilla.settings import get_settings

    result = run_bench(get_settings(), records, writers, url)
    if as_json:
        out.print_json(json.dumps(result))
        return
    table = Table("metric", "value")
    for key, value in result.items():
        table.add_row(key, str(value))
    out.print(table)
