"""`ventanilla train ...`: the bundled training module (NER, grounded-answer datasets, LoRA, evaluation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ventanilla.settings import apply_offline_env, get_settings

apply_offline_env()

train_app = typer.Typer(help="Train the platform's models.", no_args_is_help=True)
console = Console(stderr=True)
out = Console()
MEDDOCAN = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "meddocan"


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(2)


def _progress(*extra: TextColumn) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        *extra,
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


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
) -> None:
    """Grounded-answer chat dataset from the domain corpus: train/validation/test split by norm + manifest."""
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
    searcher = HybridSearcher(settings, {domain: target}, default_embedder())
    entities = tuple(target.config.pii.entities)

    def search(question: str) -> list:  # type: ignore[type-arg]
        return searcher.search(question, [domain], access=("public", "internal")).sources

    def anonymize(text: str) -> str:
        return anonymize_text(text, entities).text if text.strip() else text

    with _progress() as progress:
        task = progress.add_task(f"retrieving sources for {domain}", total=None)

        def step(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        splits, report = build_dataset(target, search, SparseEncoder(), anonymize, limit=limit, progress=step)
    manifest = write_dataset(output or settings.data_dir / "training" / domain, target, splits, report)
    out.print_json(
        json.dumps(
            {
                "manifest": str(manifest),
                "counts": report.counts,
                "skipped_not_retrieved": report.skipped_not_retrieved,
            }
        )
    )
