"""The `ventanilla` command line: ingest, ask, serve, evaluate and benchmark."""

from __future__ import annotations

import atexit
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ventanilla.audit.cli import audit_app
from ventanilla.auth.cli import keys_app
from ventanilla.settings import apply_offline_env

apply_offline_env()

app = typer.Typer(
    help="Ventanilla: retrieval-augmented assistants for Spanish public services.\n\n"
    "Configuration comes from VENTANILLA_* environment variables (see docs/configuration.md).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
eval_app = typer.Typer(help="Measure quality on real data.", no_args_is_help=True)
bench_app = typer.Typer(help="Benchmarks that print speed and quality figures.", no_args_is_help=True)
index_app = typer.Typer(
    help="Maintain the index and the vector packs of the domain folders.", no_args_is_help=True
)
app.add_typer(eval_app, name="eval")
app.add_typer(bench_app, name="bench")
app.add_typer(index_app, name="index")
app.add_typer(audit_app, name="audit")  # audit trail (issue 7)
app.add_typer(keys_app, name="keys")  # channels (issue 8)
# --- privacy (issue 4)
from ventanilla.privacy.cli import privacy_app  # noqa: E402
from ventanilla.training.cli import train_app  # noqa: E402  (training module, issues 4 and 9)

app.add_typer(privacy_app, name="privacy")
app.add_typer(train_app, name="train")
# --- privacy (issue 4): end
from ventanilla.generation.cli import llm_app  # noqa: E402  (generation, issue 6)

app.add_typer(llm_app, name="llm")  # generation (issue 6)
# co-official languages (issue 5)
from ventanilla.language.cli import bench_xling, lang_app  # noqa: E402

app.add_typer(lang_app, name="lang")
bench_app.command("xling")(bench_xling)


@atexit.register
def _close_stores() -> None:
    """Release local Qdrant stores before the interpreter tears modules down (no noisy __del__)."""
    store = sys.modules.get("ventanilla.index.store")
    if store is not None:
        store.close_stores()


console = Console(stderr=True)
out = Console()


def _fail(message: str, code: int = 2) -> None:
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def _domains() -> dict[str, Any]:
    from ventanilla.domain import DomainError
    from ventanilla.runtime import load_domains

    try:
        return load_domains()
    except DomainError as exc:
        _fail(str(exc))
        raise  # unreachable; keeps type checkers quiet


def _pick(domains: dict[str, Any], name: str | None, all_: bool) -> list[str]:
    if all_ or name == "all":
        return sorted(domains)
    if not name:
        _fail("name a domain or pass --all")
    if name not in domains:
        _fail(f"unknown domain '{name}'; available: {', '.join(sorted(domains))}")
    return [str(name)]


@app.command()
def domains() -> None:
    """List the bundled domains and their sources."""
    table = Table("domain", "title", "sources", "files")
    for name, domain in _domains().items():
        files = sum(len(domain.source_files(s)) for s in domain.config.sources)
        table.add_row(name, domain.config.title("es"), str(len(domain.config.sources)), str(files))
    out.print(table)


@app.command()
def ingest(
    domain: Annotated[str | None, typer.Argument(help="Domain to ingest (or 'all').")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Ingest every domain.")] = False,
    force: Annotated[bool, typer.Option(help="Rebuild every file, even unchanged ones.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Parse, chunk, embed and index a domain's documents. Unchanged files are skipped, changed ones
    replaced, deleted ones removed; a file that fails is reported and the rest is ingested."""
    from ventanilla.ingest.pipeline import ingest_domain
    from ventanilla.runtime import default_embedder
    from ventanilla.settings import get_settings

    settings = get_settings()
    available = _domains()
    names = _pick(available, domain, all_)
    embedder = default_embedder()
    reports = []
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[file]}"),
        console=console,
        disable=as_json or not sys.stderr.isatty(),
    ) as progress:
        for name in names:
            task = progress.add_task(name, total=None, file="")

            def advance(path: str, index: int, total: int, task: Any = task) -> None:
                progress.update(task, total=total, completed=index - 1, file=path[-60:])

            report = ingest_domain(available[name], settings, embedder, progress=advance, force=force)
            progress.update(task, completed=progress.tasks[task].total or 0, file="done")
            reports.append(report)
    if as_json:
        out.print_json(json.dumps([r.as_dict() for r in reports]))
    else:
        table = Table("domain", "ingested", "unchanged", "removed", "failed", "chunks", "seconds", "embed s")
        for r in reports:
            table.add_row(
                r.domain,
                str(r.count("ingested")),
                str(r.count("unchanged")),
                str(r.count("removed")),
                str(len(r.failed)),
                str(r.chunks_written),
                f"{r.seconds:.1f}",
                f"{r.embed_seconds:.1f}",
            )
        out.print(table)
        for r in reports:
            for failure in r.failed:
                console.print(f"[red]failed[/] {r.domain}/{failure.path}: {failure.error}")
    if any(r.failed for r in reports):
        raise typer.Exit(1)


@index_app.command("pack")
def index_pack(
    domain: Annotated[str | None, typer.Argument(help="Domain whose pack to write (or 'all').")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every domain.")] = False,
) -> None:
    """Write `domains/<name>/vectors/<model>.npz` from the ingested index, so that a fresh install
    ingests the bundled documents without embedding them again (run after `ingest`, then commit)."""
    from ventanilla.index.embedder import CachedEmbedder
    from ventanilla.index.vector_pack import build_pack
    from ventanilla.runtime import default_embedder
    from ventanilla.settings import get_settings

    available = _domains()
    embedder = default_embedder()
    if not isinstance(embedder, CachedEmbedder):
        _fail("vector packs need the cached embedder")
        return
    for name in _pick(available, domain, all_):
        path = build_pack(get_settings(), name, available[name].root, embedder)
        out.print(f"{name}: {path} ({path.stat().st_size / 1e6:.1f} MB)")


@app.command()
def ask(
    domain: Annotated[str, typer.Argument(help="Domain to ask (or 'all').")],
    question: Annotated[str, typer.Argument(help="The question, in es, ca, eu, gl or en.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the full answer object as JSON.")] = False,
    lang: Annotated[str | None, typer.Option(help="Answer language (default: the question's).")] = None,
    access: Annotated[str, typer.Option(help="Comma-separated access levels: public,internal.")] = "public",
    top_k: Annotated[int | None, typer.Option(help="How many sources to return.")] = None,
) -> None:
    """Answer a question with cited sources (extractive without an LLM), or abstain."""
    from ventanilla.answer.service import AskError, AskService
    from ventanilla.runtime import default_embedder
    from ventanilla.settings import get_settings

    service = AskService(get_settings(), _domains(), default_embedder())
    try:
        levels = access.split(",")
        result = service.ask(question, domain, lang=lang, access=levels, top_k=top_k, channel="cli")
    except AskError as exc:
        _fail(str(exc))
        return
    payload = result.as_json()
    if as_json:
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    out.print(payload["answer"])
    for source in payload["sources"]:
        out.print(f"[{source['n']}] {source['title']} — {source['norm_title']}  {source['url']}")
    out.print(f"[dim]{payload['ai_disclosure']}[/]")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default VENTANILLA_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default VENTANILLA_PORT).")] = None,
    demo: Annotated[
        bool, typer.Option(help="Serve /demo with a citizen widget key bound to http://HOST:PORT.")
    ] = True,
) -> None:
    """Serve the HTTP API (FastAPI). Local Qdrant allows one process: run a single worker."""
    import os

    import uvicorn

    from ventanilla.settings import get_settings

    settings = get_settings()
    if demo:  # channels (issue 8): the app reads these when it starts
        os.environ["VENTANILLA_DEMO"] = "1"
        if host:
            os.environ["VENTANILLA_HOST"] = host
        if port:
            os.environ["VENTANILLA_PORT"] = str(port)
        get_settings.cache_clear()
    uvicorn.run(
        "ventanilla.api.app:create_app", factory=True, host=host or settings.host, port=port or settings.port
    )


def _run_eval(
    questions: Path, judgments: Path, split: str | None, domain: str, modes: list[str], as_json: bool
) -> list[dict[str, Any]]:
    from ventanilla.eval.retrieval import EvalDataError, evaluate, indexed_parents, load_questions
    from ventanilla.retrieval.hybrid import HybridSearcher
    from ventanilla.runtime import default_embedder
    from ventanilla.settings import get_settings

    available = _domains()
    names = _pick(available, domain, False)
    try:
        items = load_questions(questions, judgments, split.split(",") if split else None)
    except EvalDataError as exc:
        _fail(str(exc))
        return []
    if not items:
        _fail("no questions matched (check --split)")
    searcher = HybridSearcher(get_settings(), available, default_embedder())
    corpus = indexed_parents(get_settings(), names)
    min_evidence = min(available[n].config.retrieval.min_evidence for n in names)
    results = []
    for mode in modes:
        with Progress(console=console, disable=as_json or not sys.stderr.isatty()) as progress:
            task = progress.add_task(f"{mode}", total=len(items))
            results.append(
                evaluate(
                    searcher,
                    items,
                    names,
                    min_evidence,
                    mode=mode,  # type: ignore[arg-type]
                    on_question=lambda i, n, task=task: progress.update(task, completed=i),  # type: ignore[misc]
                    corpus_parents=corpus,
                )
            )
    return results


METRIC_KEYS = ["ndcg@10", "recall@5", "mrr@10", "hit@1", "n_questions", "ooc_abstention", "n_ooc",
               "answerable_abstention", "latency_ms_p50", "latency_ms_p95", "query_embed_ms_p50",
               "latency_to_embed_ratio"]  # fmt: skip


def _print_results(results: list[dict[str, Any]], as_json: bool, details: bool) -> None:
    if as_json:
        payload = [r if details else {k: v for k, v in r.items() if k != "per_question"} for r in results]
        out.print_json(json.dumps(payload[0] if len(payload) == 1 else payload))
        return
    table = Table("metric", *[r["mode"] for r in results])
    for key in METRIC_KEYS:
        table.add_row(key, *[str(r.get(key)) for r in results])
    out.print(table)


@eval_app.command("retrieval")
def eval_retrieval(
    questions: Annotated[Path, typer.Option(help="questions.jsonl (rag-legal-boe format).")],
    judgments: Annotated[Path, typer.Option(help="judgments.jsonl with graded relevance 2/1/0.")],
    split: Annotated[str | None, typer.Option(help="Comma-separated splits, e.g. development.")] = None,
    domain: Annotated[str, typer.Option(help="Domain to search, or 'all'.")] = "all",
    mode: Annotated[str, typer.Option(help="hybrid, dense or sparse.")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object with the metrics.")] = False,
    details: Annotated[bool, typer.Option(help="Include per-question results in the JSON.")] = False,
) -> None:
    """nDCG@10, recall@5, MRR@10, hit@1 on answerable questions; abstention on the others."""
    if mode not in ("hybrid", "dense", "sparse"):
        _fail("--mode must be hybrid, dense or sparse")
    _print_results(_run_eval(questions, judgments, split, domain, [mode], as_json), as_json, details)


@bench_app.command("retrieval")
def bench_retrieval(
    questions: Annotated[Path, typer.Option(help="questions.jsonl (rag-legal-boe format).")],
    judgments: Annotated[Path, typer.Option(help="judgments.jsonl with graded relevance.")],
    split: Annotated[str | None, typer.Option(help="Comma-separated splits.")] = None,
    domain: Annotated[str, typer.Option(help="Domain to search, or 'all'.")] = "all",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Hybrid vs BM25-only (sparse) vs dense-only on the same index, in one run."""
    results = _run_eval(questions, judgments, split, domain, ["hybrid", "sparse", "dense"], as_json)
    _print_results(results, as_json, False)
    if not as_json and results[0]["ndcg@10"] is not None and results[1]["ndcg@10"] is not None:
        gain = results[0]["ndcg@10"] - results[1]["ndcg@10"]
        out.print(f"hybrid - BM25 nDCG@10: {gain:+.3f}")


if __name__ == "__main__":  # pragma: no cover
    app()
