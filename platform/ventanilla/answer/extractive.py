"""Answers without an LLM: the most relevant sentences of the top sources, quoted and cited.

Used when no `VENTANILLA_LLM_URL` is configured, and as the labelled fallback when the LLM fails.
It never paraphrases: every sentence is literal text from a cited source.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ventanilla.i18n import t
from ventanilla.retrieval.hybrid import Source
from ventanilla.retrieval.lexical import SparseEncoder

_SENTENCE_SPLIT = re.compile(r"(?<=[.;:])\s+(?=[A-ZÁÉÍÓÚÑ0-9«(])|\n+")


def source_reference(source: Source) -> str:
    meta = source.meta
    title = str(meta.get("title") or "").rstrip(".")
    norm = str(meta.get("norm_short") or meta.get("norm_title") or "")
    return f"{title}, {norm}" if norm and title else title or norm


def best_sentences(
    text: str, query_terms: set[str], encoder: SparseEncoder, lang: str, limit: int
) -> list[str]:
    """The `limit` sentences sharing most query terms, in document order (headings excluded)."""
    sentences = [s.strip() for s in _SENTENCE_SPLIT.split(text) if len(s.strip()) > 20]
    if not sentences:
        return []
    body = sentences[1:] if len(sentences) > 1 else sentences  # the first line is the heading
    scored = []
    for index, sentence in enumerate(body):
        terms = set(encoder.query_terms(sentence, lang=lang))
        overlap = len(terms & query_terms)
        scored.append((overlap, -index, sentence))
    chosen = sorted(scored, reverse=True)[:limit]
    return [s for _, _, s in sorted(chosen, key=lambda item: -item[1])]


def compose_extractive(
    question: str,
    sources: Sequence[Source],
    lang: str,
    encoder: SparseEncoder,
    max_sources: int = 2,
    sentences_per_source: int = 2,
) -> tuple[str, list[int]]:
    """The answer text and the 1-based numbers of the sources it cites."""
    query_terms = set(encoder.query_terms(question, lang="es"))
    lines = [t("extractive_intro", lang)]
    cited: list[int] = []
    for number, source in enumerate(sources[:max_sources], start=1):
        content = source.document.content or ""
        picked = best_sentences(content, query_terms, encoder, "es", sentences_per_source)
        if not picked:
            continue
        lines.append(t("source_line", lang, ref=source_reference(source), n=number))
        lines.extend(f"«{sentence}»" for sentence in picked)
        cited.append(number)
    return "\n".join(lines), cited
