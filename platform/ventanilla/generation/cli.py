"""`ventanilla llm …`: the local model server and the generation latency benchmark."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

llm_app = typer.Typer(
    help="Generative answers: local vLLM server and latency benchmark.", no_args_is_help=True
)
console = Console(stderr=True)
out = Console()


@llm_app.command("serve-local")
def serve_local(
    port: Annotated[int | None, typer.Option(help="Port (default VENTANILLA_LLM_LOCAL_PORT, 8011).")] = None,
    adapter: Annotated[
        list[str] | None,
        typer.Option(
            help="Serve a LoRA adapter: NAME=PATH (repeatable). Registered adapters that a "
            "domain names in llm.adapter are served automatically."
        ),
    ] = None,
) -> None:
    """Convert the packaged Gemma 3 270M once into the data dir and serve it with vLLM on CPU
    (OpenAI-compatible API on 127.0.0.1). Every model/adapter name of the domains is an alias of it.
    Stop with Ctrl-C."""
    from ventanilla.generation.local_server import (
        LocalServer,
        LocalServerError,
        prepare_model,
        registered_adapters,
        served_names,
    )
    from ventanilla.runtime import load_domains
    from ventanilla.settings import get_settings

    settings = get_settings()
    domains = load_domains(settings).values()
    names = served_names(domains)
    adapters = registered_adapters(settings, domains)
    for item in adapter or []:
        name, _, path = item.partition("=")
        if not path:
            console.print(f"[bold red]error:[/] --adapter wants NAME=PATH, got '{item}'")
            raise typer.Exit(2)
        adapters[name] = Path(path).resolve()
    server = LocalServer(settings, port or settings.llm_local_port, names, adapters=adapters)
    try:
        with console.status("preparing the model (first run converts it, ~1-2 min)"):
            prepare_model(settings)
        with console.status(f"starting vLLM on CPU (~60 s); log: {server.log_path}"):
            url = server.start()
    except LocalServerError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(1) from exc
    out.print(f"vLLM ready at {url} serving {', '.join(server.names + list(server.adapters))}")
    out.print(f"export VENTANILLA_LLM_URL={url}")
    # SIGTERM (a service manager, a script) stops vLLM as cleanly as Ctrl-C does
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        assert server.process is not None
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@llm_app.command("bench")
def bench(
    domain: Annotated[str, typer.Argument(help="An ingested domain.")],
    question: Annotated[str, typer.Argument(help="The question to ask.")],
    repeat: Annotated[int, typer.Option(help="Asks to run (the first one warms caches).")] = 3,
    top_k: Annotated[int | None, typer.Option(help="Sources in the prompt.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Latency breakdown of asks through VENTANILLA_LLM_URL: retrieval, prompt building, time to first
    token, LLM, total, and the platform's overhead outside the LLM as a share of the total (goal ≤ 10%)."""
    from ventanilla.answer.service import AskError, AskService
    from ventanilla.runtime import default_embedder, load_domains
    from ventanilla.settings import get_settings

    settings = get_settings()
    if not settings.llm_url:
        console.print("[bold red]error:[/] set VENTANILLA_LLM_URL (e.g. `ventanilla llm serve-local`)")
        raise typer.Exit(2)
    service = AskService(settings, load_domains(settings), default_embedder())
    rows = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        try:
            result = service.ask(question, domain, top_k=top_k, on_llm_failure="error")
        except AskError as exc:
            console.print(f"[bold red]error:[/] {exc}")
            raise typer.Exit(1) from exc
        wall = (time.perf_counter() - start) * 1000
        timings = result.timings
        retrieval = timings.get("embed_ms", 0.0) + timings.get("search_ms", 0.0)
        llm = timings.get("llm_ms", 0.0)
        rows.append(
            {"mode": result.mode, "retrieval_ms": retrieval, "prompt_ms": timings.get("prompt_ms", 0.0),
             "ttft_ms": timings.get("ttft_ms"), "llm_ms": llm, "total_ms": wall,
             "overhead_ms": wall - llm, "overhead_share": (wall - llm) / wall if wall else 0.0,
             "citations": len(result.citations), "answer_chars": len(result.answer)}
        )  # fmt: skip
    measured = rows[1:] if len(rows) > 1 else rows
    keys = ("retrieval_ms", "prompt_ms", "ttft_ms", "llm_ms", "total_ms", "overhead_ms", "overhead_share")
    summary = {key: sum(float(r[key] or 0.0) for r in measured) / len(measured) for key in keys}
    payload = {"runs": rows, "mean_after_warmup": summary, "llm_url": settings.llm_url, "pid": os.getpid()}
    if as_json:
        out.print_json(json.dumps(payload))
        return
    table = Table("figure", "mean (after the first ask)")
    for key, value in summary.items():
        table.add_row(key, f"{value:.1%}" if key == "overhead_share" else f"{value:.1f}")
    out.print(table)
    out.print(f"modes: {', '.join(str(r['mode']) for r in rows)}; goal: overhead_share ≤ 10%")
