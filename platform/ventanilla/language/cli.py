"""`ventanilla lang ...`: language identification on the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

lang_app = typer.Typer(
    help="Language identification: identify text, evaluate on a folder.", no_args_is_help=True
)
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


@lang_app.command("compile-messages")
def compile_messages(
    check: Annotated[bool, typer.Option(help="Write nothing; fail if a .mo is missing or stale.")] = False,
) -> None:
    """Compile the gettext catalogues (locale/*/LC_MESSAGES/ventanilla.po) into .mo files."""
    from ventanilla.i18n import compile_catalogues, missing_translations

    missing = missing_translations()
    for key, lang in missing:
        _err.print(f"[red]missing[/] {lang}: {key}")
    stale = compile_catalogues(check=check)
    if check and stale:
        _err.print(f"[bold red]stale .mo:[/] {', '.join(stale)} (run `ventanilla lang compile-messages`)")
    elif stale:
        _out.print(f"compiled: {', '.join(stale)}")
    else:
        _out.print("catalogues up to date")
    if missing or (check and stale):
        raise typer.Exit(1)


def bench_xling(
    dir_: Annotated[
        Path, typer.Option("--dir", help="Folder with questions.<lang>.jsonl and judgments.jsonl.")
    ] = Path("eval/qa/xling"),
    langs: Annotated[
        str, typer.Option(help="Comma-separated languages; es is the reference.")
    ] = "es,ca,eu,gl,en",
    domain: Annotated[str, typer.Option(help="Domain to search, or 'all'.")] = "all",
    translator: Annotated[
        str | None, typer.Option(help="apertium, openai or none (default VENTANILLA_TRANSLATOR).")
    ] = None,
    fuse: Annotated[
        bool | None, typer.Option(help="Fuse the original question's ranking (default from settings).")
    ] = None,
    ablation: Annotated[
        bool, typer.Option(help="Also score translated-only and original-only (same searches, memoised).")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object with the figures.")] = False,
) -> None:
    """Cross-lingual retrieval: nDCG@10 (and recall@5, MRR@10, hit@1) per question language next to
    the Spanish originals, on the same index, in one run."""
    from rich.progress import Progress

    from ventanilla.domain import DomainError
    from ventanilla.eval.retrieval import EvalDataError, evaluate, load_questions
    from ventanilla.language.translate import make_translator
    from ventanilla.language.xling import CrossLingualSearcher, MemoSearcher
    from ventanilla.retrieval.hybrid import HybridSearcher
    from ventanilla.runtime import default_embedder, load_domains
    from ventanilla.settings import get_settings

    settings = get_settings()
    if translator is not None:
        settings = settings.model_copy(update={"translator": translator})
    try:
        domains = load_domains(settings)
        chosen = make_translator(settings)
    except (DomainError, ValueError) as exc:
        _err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from exc
    names = sorted(domains) if domain == "all" else [domain]
    if any(n not in domains for n in names):
        _err.print(f"[bold red]error:[/] unknown domain '{domain}'; available: {', '.join(sorted(domains))}")
        raise typer.Exit(2)
    base = HybridSearcher(settings, domains, default_embedder())
    min_evidence = min(domains[n].config.retrieval.min_evidence for n in names)
    fuse_original = settings.xling_fuse_original if fuse is None else fuse
    results: dict[str, dict[str, object]] = {}
    variants: dict[str, dict[str, object]] = {}
    memo = MemoSearcher(base)
    for lang in [x.strip() for x in langs.split(",") if x.strip()]:
        try:
            items = load_questions(dir_ / f"questions.{lang}.jsonl", dir_ / "judgments.jsonl")
        except EvalDataError as exc:
            _err.print(f"[bold red]error:[/] {exc}")
            raise typer.Exit(2) from exc
        weight = settings.xling_original_weight
        runs = [("default", CrossLingualSearcher(memo, chosen, fuse_original, weight, lang))]
        if ablation and lang != "es":  # the same searches, scored without fusion and without translation
            runs.append(("translated_only", CrossLingualSearcher(memo, chosen, False, lang=lang)))
            runs.append(("original_only", CrossLingualSearcher(memo, None, False, lang=lang)))
        for variant, searcher in runs:
            with Progress(console=_err, disable=as_json) as progress:
                task = progress.add_task(f"{lang} {variant}", total=len(items))
                report = evaluate(
                    searcher,  # type: ignore[arg-type]
                    items,
                    names,
                    min_evidence,
                    on_question=lambda i, n, task=task: progress.update(task, completed=i),  # type: ignore[misc]
                )
            report.pop("per_question", None)
            if variant == "default":
                results[lang] = report
            else:
                variants.setdefault(lang, {})[variant] = report["ndcg@10"]
            _err.print(
                f"{lang} {variant}: nDCG@10 {report['ndcg@10']} over {report['n_questions']} questions"
            )
    reference = results.get("es", {}).get("ndcg@10")
    for report in results.values():
        value = report.get("ndcg@10")
        report["ratio_to_es"] = (
            round(float(value) / float(reference), 4)  # type: ignore[arg-type]
            if isinstance(value, float) and isinstance(reference, float) and reference
            else None
        )
    payload = {
        "translator": chosen.name if chosen else "none",
        "fuse_original": fuse_original,
        "domains": names,
        "languages": results,
        "ndcg@10_variants": variants,
    }
    if as_json:
        _out.print_json(json.dumps(payload))
        return
    keys = ["ndcg@10", "ratio_to_es", "recall@5", "mrr@10", "hit@1", "n_questions", "latency_ms_p50"]
    table = Table("metric", *results)
    for key in keys:
        table.add_row(key, *[str(r.get(key)) for r in results.values()])
    _out.print(
        f"translator: {payload['translator']}, fuse original: {fuse_original}, domains: {', '.join(names)}"
    )
    _out.print(table)
    for lang, scores in variants.items():
        _out.print(f"{lang} nDCG@10 without fusion / without translation: {scores}")
