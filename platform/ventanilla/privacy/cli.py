"""Typer sub-app: `ventanilla privacy ...` (eval, anonymize, bench); `train ner` is in ventanilla.training."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from ventanilla.progress import task_progress
from ventanilla.settings import apply_offline_env

apply_offline_env()

privacy_app = typer.Typer(help="Personal-data detection and anonymization (presidio).", no_args_is_help=True)

console = Console(stderr=True)
out = Console()
MEDDOCAN = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "meddocan"
EVAL_KEYS = ("precision", "recall", "f1", "span_f1", "leak_rate", "overmask_rate", "docs", "docs_per_s")


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(2)


def _run_eval(brat: Path, which: str, limit: int | None, residual: bool = True) -> dict[str, Any]:
    from ventanilla.privacy.brat import BratError, read_brat_dir
    from ventanilla.privacy.evaluate import evaluate, ventanilla_predictor
    from ventanilla.privacy.ner import NerModelMissing

    try:
        docs = read_brat_dir(brat, limit=limit)
    except BratError as exc:
        _fail(str(exc))
        raise
    try:
        if which == "presidio-es":
            from ventanilla.privacy.baseline import baseline_predictor

            predictor = baseline_predictor()
        else:
            predictor = ventanilla_predictor(residual=residual)
            predictor("Calentamiento.")  # load the model outside the timed loop
    except (NerModelMissing, OSError) as exc:
        _fail(str(exc))
        raise
    with task_progress(console) as progress:
        task = progress.add_task(f"{which} on {brat.name}", total=len(docs))
        report = evaluate(docs, predictor, progress=lambda: progress.advance(task))
    return {"pipeline": which, **report.as_dict()}


@privacy_app.command("eval")
def eval_cmd(
    brat: Annotated[Path, typer.Option("--brat", help="Folder of brat .txt/.ann pairs (e.g. MEDDOCAN dev).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
    per_label: Annotated[bool, typer.Option(help="Also print P/R/F1 per MEDDOCAN category.")] = False,
    residual: Annotated[
        bool, typer.Option(help="Also apply every residual-masking rule (as the health domain does).")
    ] = True,
) -> None:
    """Strict entity P/R/F1 (offsets + MEDDOCAN type), span F1, leak and overmask rates, docs/s."""
    result = _run_eval(brat, "ventanilla", limit, residual)
    labels = result.pop("per_label")
    if as_json:
        payload = {k: result[k] for k in EVAL_KEYS}
        if per_label:
            payload["per_label"] = labels
        out.print_json(json.dumps(payload))
        return
    table = Table("metric", "value")
    for key in EVAL_KEYS:
        table.add_row(key, str(result[key]))
    out.print(table)
    if per_label:
        lt = Table("category", "P", "R", "F1", "support")
        for name, row in labels.items():
            lt.add_row(name, str(row["precision"]), str(row["recall"]), str(row["f1"]), str(row["support"]))
        out.print(lt)


@privacy_app.command("bench")
def bench_cmd(
    brat: Annotated[Path, typer.Option("--brat", help="brat folder (default: MEDDOCAN dev).")] = MEDDOCAN
    / "dev",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int | None, typer.Option(help="Only the first N documents.")] = None,
) -> None:
    """Our pipeline against presidio's out-of-the-box Spanish setup, in one run: F1, leak rate, docs/s."""
    rows = [_run_eval(brat.resolve(), which, limit) for which in ("ventanilla", "presidio-es")]
    for row in rows:
        row.pop("per_label")
    ratio = rows[0]["docs_per_s"] / rows[1]["docs_per_s"] if rows[1]["docs_per_s"] else 0.0
    if as_json:
        out.print_json(json.dumps({"results": rows, "throughput_ratio": round(ratio, 3)}))
        return
    table = Table("pipeline", *EVAL_KEYS)
    for row in rows:
        table.add_row(row["pipeline"], *(str(row[k]) for k in EVAL_KEYS))
    out.print(table)
    out.print(f"throughput ratio (ventanilla / presidio-es): {ratio:.3f}")


@privacy_app.command("anonymize")
def anonymize_cmd(
    file: Annotated[str, typer.Argument(help="Text file to anonymize, or '-' for standard input.")] = "-",
    as_json: Annotated[bool, typer.Option("--json", help="Print the spans found as JSON too.")] = False,
    operator: Annotated[str, typer.Option(help="placeholder, redact or hash.")] = "placeholder",
    entities: Annotated[str | None, typer.Option(help="Comma-separated entity names (default: all).")] = None,
    residual: Annotated[
        bool, typer.Option(help="Also apply every residual-masking rule (as the health domain does).")
    ] = True,
) -> None:
    """Print the text with personal data replaced by typed placeholders (<PERSONA_1>...)."""
    from ventanilla.privacy.anonymize import anonymize_text
    from ventanilla.privacy.entities import ENTITIES
    from ventanilla.privacy.residual import ALL_RULES

    if operator not in ("placeholder", "redact", "hash"):
        _fail(f"unknown operator '{operator}': use placeholder, redact or hash")
    wanted = tuple(e.strip() for e in entities.split(",") if e.strip()) if entities else None
    unknown = [e for e in wanted or () if e not in ENTITIES]
    if unknown:
        _fail(f"unknown entities: {', '.join(unknown)}; known: {', '.join(ENTITIES)}")
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        _fail(f"cannot read {file}: {exc}")
        raise
    masked = anonymize_text(text, wanted, operator, residual=ALL_RULES if residual else ())  # type: ignore[arg-type]
    if as_json:
        spans = [
            {"start": d.start, "end": d.end, "entity": d.entity, "score": round(d.score, 3), "replacement": r}
            for d, r in zip(masked.detections, masked.replacements, strict=False)
        ]
        out.print_json(json.dumps({"text": masked.text, "spans": spans}, ensure_ascii=False))
        return
    sys.stdout.write(masked.text)
