"""`ventanilla train ...`: the bundled training module (NER, grounded-answer datasets, LoRA, evaluation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import TaskID, TextColumn

from ventanilla.progress import task_progress
from ventanilla.settings import apply_offline_env, get_settings

apply_offline_env()

train_app = typer.Typer(help="Train the platform's models.", no_args_is_help=True)
console = Console(stderr=True)
out = Console()
MEDDOCAN = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "meddocan"


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(2)


@train_app.command("ner")
def train_ner_cmd(
    train: Annotated[Path, typer.Option(help="brat folder to train on.")] = MEDDOCAN / "train",
    dev: Annotated[Path, typer.Option(help="brat folder for model selection.")] = MEDDOCAN / "dev",
    output: Annotated[Path | None, typer.Option(help="Model folder (default: the packaged one).")] = None,
    epochs: Annotated[int, typer.Option(help="Maximum epochs (early stop on dev F1).")] = 16,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 13,
    limit: Annotated[int | None, typer.Option(help="Train on the first N documents only.")] = None,
) -> None:
    """Train the de-identification NER (blank spaCy `es`) on MEDDOCAN train, keep the best dev epoch."""
    from ventanilla.privacy.brat import BratError
    from ventanilla.privacy.ner import MODEL_DIR
    from ventanilla.privacy.training import TrainConfig, train_ner

    target = output or MODEL_DIR
    config = TrainConfig(epochs=epochs, seed=seed, limit=limit)

    def show(row: dict[str, float]) -> None:
        console.print(
            f"epoch {int(row['epoch'])}: loss {row['loss']:.1f}  dev P {row['precision']:.4f} "
            f"R {row['recall']:.4f} F1 {row['f1']:.4f}"
        )

    try:
        report = train_ner(train.resolve(), dev.resolve(), target, config, progress=show)
    except BratError as exc:
        _fail(str(exc))
        raise
    out.print(
        f"best dev F1 {report.best_f1:.4f} at epoch {report.best_epoch}; model in {target} "
        f"({report.seconds:.0f} s)"
    )


@train_app.command("dataset")
def dataset_cmd(
    domain: Annotated[str, typer.Argument(help="Domain folder name (e.g. tax).")],
    limit: Annotated[int | None, typer.Option(help="At most N questions (curated first).")] = None,
    output: Annotated[Path | None, typer.Option(help="Folder (default: <data dir>/training/DOMAIN).")] = None,
    sources: Annotated[
        int | None, typer.Option(help="Sources per prompt (default: the domain's retrieval top_k).")
    ] = None,
    source_chars: Annotated[
        int | None,
        typer.Option(help="Cut each source to N characters (default: the domain's llm.max_source_chars)."),
    ] = None,
) -> None:
    """Grounded-answer chat dataset from the domain corpus: train/validation/test split by norm + manifest.

    Prompts are built exactly as serving builds them; --sources and --source-chars shorten them (a
    smaller CPU run) and are recorded in the manifest: serve the adapter with the same values.
    """
    from ventanilla.privacy.anonymize import anonymize_text
    from ventanilla.retrieval.hybrid import HybridSearcher
    from ventanilla.retrieval.lexical import SparseEncoder
    from ventanilla.runtime import default_embedder, load_domains
    from ventanilla.training.dataset import build_dataset, write_dataset

    settings = get_settings()
    domains = load_domains(settings)
    if domain not in domains:
        _fail(f"unknown domain '{domain}' (known: {', '.join(sorted(domains))})")
    target = domains[domain]
    if source_chars is not None:
        llm = target.config.llm.model_copy(update={"max_source_chars": source_chars})
        target = target.model_copy(update={"config": target.config.model_copy(update={"llm": llm})})
    searcher = HybridSearcher(settings, {domain: target}, default_embedder())
    entities = tuple(target.config.pii.entities)
    top_k = sources or target.config.retrieval.top_k

    def search(question: str) -> list:  # type: ignore[type-arg]
        return searcher.search(question, [domain], access=("public", "internal")).sources[:top_k]

    def anonymize(text: str) -> str:
        return anonymize_text(text, entities).text if text.strip() else text

    with task_progress(console) as progress:
        task = progress.add_task(f"retrieving sources for {domain}", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        splits, report = build_dataset(target, search, SparseEncoder(), anonymize, limit=limit, progress=step)
    prompt = {"sources": top_k, "max_source_chars": target.config.llm.max_source_chars}
    folder = output or settings.data_dir / "training" / domain
    manifest = write_dataset(folder, target, splits, report, prompt=prompt)
    out.print_json(
        json.dumps(
            {
                "manifest": str(manifest),
                "counts": report.counts,
                "skipped_not_retrieved": report.skipped_not_retrieved,
            }
        )
    )


def _worker_python() -> Path:
    from ventanilla.generation.local_server import LocalServerError, llm_python

    try:
        return llm_python(get_settings())
    except LocalServerError as exc:
        _fail(str(exc))
        raise


@train_app.command("lora")
def lora_cmd(
    domain: Annotated[str, typer.Argument(help="Domain whose dataset (train dataset DOMAIN) to train on.")],
    base: Annotated[
        Path | None,
        typer.Option(help="Base model folder (default: the local Gemma 3 270M, prepared if needed)."),
    ] = None,
    steps: Annotated[int, typer.Option(help="Optimizer steps.")] = 60,
    name: Annotated[
        str | None, typer.Option(help="Adapter name in the registry (default: DOMAIN-lora).")
    ] = None,
    rank: Annotated[int, typer.Option(help="LoRA rank r.")] = 16,
    alpha: Annotated[int, typer.Option(help="LoRA alpha.")] = 32,
    target_modules: Annotated[str, typer.Option(help="Comma-separated module names to adapt.")] = ",".join(
        ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
    ),
    lr: Annotated[float, typer.Option(help="Peak learning rate (linear warm-up and decay).")] = 2e-4,
    batch: Annotated[int, typer.Option(help="Sequences per step.")] = 2,
    max_len: Annotated[
        int, typer.Option(help="Sequence length in tokens (long prompts are cut on the left).")
    ] = 1024,
    packing: Annotated[bool, typer.Option(help="Pack several examples per sequence.")] = False,
    save_every: Annotated[int, typer.Option(help="Checkpoint every N steps (0: never).")] = 20,
    fresh: Annotated[bool, typer.Option(help="Ignore an existing checkpoint instead of resuming.")] = False,
    qlora: Annotated[bool, typer.Option(help="4-bit NF4 base (QLoRA; GPU with bitsandbytes only).")] = False,
    threads: Annotated[int | None, typer.Option(help="CPU threads for torch.")] = None,
    dataset: Annotated[
        Path | None, typer.Option(help="Dataset folder (default: <data dir>/training/DOMAIN).")
    ] = None,
) -> None:
    """LoRA SFT of the answer model on the domain dataset; registers the adapter in <data dir>/adapters/."""
    from ventanilla.generation.local_server import LocalServerError, prepare_model
    from ventanilla.training.lora import LoraSettings, train_lora
    from ventanilla.training.registry import adapters_dir, base_revision, file_sha256, write_manifest

    settings = get_settings()
    data = dataset or settings.data_dir / "training" / domain
    if not (data / "train.jsonl").is_file():
        _fail(f"{data / 'train.jsonl'} not found: run `ventanilla train dataset {domain}` first")
    try:
        base_dir = base or prepare_model(settings)
    except LocalServerError as exc:
        _fail(str(exc))
        raise
    folder = adapters_dir(settings.data_dir) / (name or f"{domain}-lora")
    run = LoraSettings(
        base=str(base_dir.resolve()),
        train_file=str((data / "train.jsonl").resolve()),
        output=str(folder.resolve()),
        steps=steps,
        batch=batch,
        rank=rank,
        alpha=alpha,
        target_modules=[m.strip() for m in target_modules.split(",") if m.strip()],
        lr=lr,
        max_len=max_len,
        packing=packing,
        save_every=save_every,
        resume=not fresh,
        qlora=qlora,
        threads=threads,
    )
    with task_progress(console, TextColumn("loss {task.fields[loss]}")) as progress:
        task = progress.add_task(f"LoRA {folder.name}", total=steps, loss="-")

        def show(event: dict[str, object]) -> None:
            if event.get("event") == "start":
                progress.update(task, completed=int(str(event["start_step"])))
            elif event.get("event") == "step":
                progress.update(
                    task, completed=int(str(event["step"])), loss=f"{float(str(event['loss'])):.3f}"
                )

        try:
            summary = train_lora(_worker_python(), run, show)
        except RuntimeError as exc:
            _fail(str(exc))
            raise
    data_manifest = data / "manifest.json"
    write_manifest(
        folder,
        domain=domain,
        base_model=base_dir.name,
        base_path=str(base_dir.resolve()),
        base_revision=base_revision(base_dir),
        adapter_path=str((folder / "adapter").resolve()),
        dataset=str(data_manifest.resolve()),
        dataset_manifest_sha256=file_sha256(data_manifest) if data_manifest.is_file() else None,
        hyperparameters=run.model_dump(exclude={"base", "train_file", "output", "resume", "threads"}),
        training={k: v for k, v in summary.items() if k not in {"event", "adapter"}},
    )
    out.print_json(json.dumps({"adapter": str(folder / "adapter"), **summary}))


@train_app.command("adapters")
def adapters_cmd(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """The registered adapters (name, domain, base, steps, last loss, metrics)."""
    from rich.table import Table

    from ventanilla.training.registry import list_adapters

    rows = list_adapters(get_settings().data_dir)
    if as_json:
        out.print_json(json.dumps(rows))
        return
    table = Table("name", "domain", "base", "steps", "last loss", "metrics", "updated")
    for row in rows:
        training = row.get("training", {})
        last = training.get("last_loss")
        table.add_row(
            str(row.get("name")),
            str(row.get("domain")),
            str(row.get("base_model")),
            str(row.get("hyperparameters", {}).get("steps")),
            f"{last:.3f}" if isinstance(last, float) else "-",
            json.dumps(row.get("metrics", {}).get("adapter", {})) if row.get("metrics") else "-",
            str(row.get("updated")),
        )
    out.print(table)


@train_app.command("eval")
def eval_cmd(
    domain: Annotated[str, typer.Argument(help="Domain whose test split to evaluate on.")],
    adapter: Annotated[Path, typer.Option(help="Adapter folder (peft) or registry name.")],
    limit: Annotated[int | None, typer.Option(help="Only the first N test examples.")] = None,
    max_tokens: Annotated[int, typer.Option(help="Answer length cap.")] = 160,
    url: Annotated[
        str | None, typer.Option(help="A running vLLM serving the base and the adapter (default: start one).")
    ] = None,
    split: Annotated[str, typer.Option(help="Split to evaluate.")] = "test",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Held-out split through the real local vLLM, base vs adapter: citations, abstention, F1, refusal."""
    from ventanilla.generation.local_server import LOCAL_MODEL, LocalServer, LocalServerError
    from ventanilla.training.evaluation import evaluate_model
    from ventanilla.training.registry import adapters_dir, write_manifest

    settings = get_settings()
    registry = adapters_dir(settings.data_dir)
    folder = adapter if (adapter / "adapter_config.json").is_file() else registry / str(adapter) / "adapter"
    if not (folder / "adapter_config.json").is_file():
        _fail(f"no peft adapter at {adapter} (nor in {registry})")
    name = folder.parent.name if folder.name == "adapter" else folder.name
    path = settings.data_dir / "training" / domain / f"{split}.jsonl"
    if not path.is_file():
        _fail(f"{path} not found: run `ventanilla train dataset {domain}` first")
    examples = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    examples = examples[:limit] if limit else examples
    server = None
    results: dict[str, dict[str, float | int]] = {}
    answers: dict[str, list[str]] = {}
    try:
        if url is None:
            server = LocalServer(
                settings, settings.llm_local_port, [LOCAL_MODEL], adapters={name: folder.resolve()}
            )
            with console.status(f"starting vLLM on CPU with the adapter (~60 s); log: {server.log_path}"):
                url = server.start(ready_timeout_s=420)
        with task_progress(console) as progress:
            for label, model in (("base", LOCAL_MODEL), ("adapter", name)):
                task = progress.add_task(f"{label} ({model})", total=len(examples))

                def advance(task_id: TaskID = task) -> None:
                    progress.advance(task_id)

                results[label], rows = evaluate_model(
                    url, model, examples, max_tokens=max_tokens, progress=advance
                )
                answers[label] = [r.answer for r in rows]
    except LocalServerError as exc:
        _fail(str(exc))
    finally:
        if server is not None:
            server.stop()
    record = folder.parent if folder.name == "adapter" else folder
    answers_file = record / f"eval-{split}.jsonl"
    answers_file.write_text(
        "".join(
            json.dumps(
                {"question": ex["question"], "kind": ex["kind"], "reference": ex["messages"][-1]["content"]}
                | {label: answers[label][i] for label in answers},
                ensure_ascii=False,
            )
            + "\n"
            for i, ex in enumerate(examples)
        ),
        encoding="utf-8",
    )
    if (record / "manifest.json").is_file():
        write_manifest(
            record,
            metrics={**results, "split": split, "examples": len(examples), "answers": answers_file.name},
        )
    if as_json:
        out.print_json(json.dumps({"adapter": name, "split": split, **results}))
        return
    from rich.table import Table

    table = Table(f"{domain} · {split} ({len(examples)} examples)", "base", name, title="train eval")
    for metric in ("citation_validity", "abstention", "token_f1", "refusal", "false_abstention"):
        table.add_row(metric, *(f"{results[label].get(metric, float('nan')):.3f}" for label in results))
    out.print(table)
    out.print(f"answers: {answers_file}")
