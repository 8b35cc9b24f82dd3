"""Accuracy of the language identifier on a folder of `<code>.txt` files (one sentence a line)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ventanilla.language import identify


class LangEvalError(ValueError):
    """The evaluation folder is missing, empty or holds no usable file."""


def _predict(text: str) -> str:
    found = identify(text)
    return found.language if found else "und"


def load_eval_dir(folder: Path) -> dict[str, list[str]]:
    if not folder.is_dir():
        raise LangEvalError(f"not a folder: {folder}")
    data: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if lines:
            data[path.stem] = lines
    if not data:
        raise LangEvalError(f"no non-empty <code>.txt file in {folder}")
    return data


def evaluate_dir(
    folder: Path,
    predict: Callable[[str], str] = _predict,
    snippet_words: tuple[int, ...] = (3, 5),
) -> dict[str, Any]:
    """accuracy, per_language, confusion ({gold: {predicted: n}}), snippet_accuracy ({"3": ..})."""
    data = load_eval_dir(folder)
    confusion: dict[str, dict[str, int]] = {}
    correct = total = 0
    per_language: dict[str, float] = {}
    snippet_hits = dict.fromkeys(snippet_words, 0)
    snippet_per_language: dict[str, dict[str, float]] = {str(n): {} for n in snippet_words}
    for gold, lines in data.items():
        row: dict[str, int] = {}
        hits = 0
        for line in lines:
            predicted = predict(line)
            row[predicted] = row.get(predicted, 0) + 1
            hits += predicted == gold
        confusion[gold] = dict(sorted(row.items()))
        per_language[gold] = round(hits / len(lines), 4)
        correct += hits
        total += len(lines)
        for n in snippet_words:
            ok = sum(predict(" ".join(line.split()[:n])) == gold for line in lines)
            snippet_hits[n] += ok
            snippet_per_language[str(n)][gold] = round(ok / len(lines), 4)
    return {
        "accuracy": round(correct / total, 4),
        "per_language": per_language,
        "confusion": confusion,
        "snippet_accuracy": {str(n): round(snippet_hits[n] / total, 4) for n in snippet_words},
        "snippet_per_language": snippet_per_language,
        "n_sentences": total,
    }
