"""`ventanilla lang ...`: language identification on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

lang_app = typer.Typer(help="Language identification: identify text, evaluate on a folder.", no_args_is_help=True)
_out = Console()
_err = Console(stderr=True)


@lang_app.command("eval")
def lang_eval(
    dir_: Annotated[
        Path, typer.Option("--dir", help="Folder with one <code>.txt per language, one sentence a line.")
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
) -> None:
    """Accuracy overall and per language, the confusion matrix, and accuracy on the first 3 and 5
    words of each line (short-question behaviour)."""
    from ventanilla.language.evaluation import LangEvalError, evaluate_dir

    try:
        report = evaluate_dir(dir_)
    except LangEvalError as exc:
        _err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        _out.print_json(json.dumps(report))
        return
    table = Table("language", "accuracy", "first 3 words", "first 5 words", "confused with")
    for lang, accuracy in report["per_language"].items():
        wrong = {k: v for k, v in report["confusion"][lang].items() if k != lang}
        table.add_row(
            lang,
            f"{accuracy:.4f}",
            f"{report['snippet_per_language']['3'][lang]:.4f}",
            f"{report['snippet_per_language']['5'][lang]:.4f}",
            ", ".join(f"{k}:{v}" for k, v in sorted(wrong.items(), key=lambda kv: -kv[1])) or "-",
        )
    table.add_row(
        "all",
        f"{report['accuracy']:.4f}",
        f"{report['snippet_accuracy']['3']:.4f}",
        f"{report['snippet_accuracy']['5']:.4f}",
        f"{report['n_sentences']} lines",
    )
    _out.print(table)


@lang_app.command("detect")
def lang_detect(text: Annotated[str, typer.Argument(help="Text to identify.")]) -> None:
    """The main language of TEXT, its confidence and the product language that answers it."""
    from ventanilla.language import identify, product_language

    found = identify(text)
    if found is None:
        _err.print("[bold red]error:[/] the text has no letters")
        raise typer.Exit(2)
    _out.print_json(
        json.dumps(
            {
                "language": found.language,
                "confidence": round(found.confidence, 4),
                "answer_language": product_language(found.language),
                "scores": found.scores,
            }
        )
    )
