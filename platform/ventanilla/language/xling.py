"""Cross-lingual retrieval: search the Spanish law with a question asked in ca, eu, gl or en.

`CrossLingualSearcher` wraps the hybrid searcher: it translates the question into Spanish
(`translate.py`), searches with the translation and, with `fuse_original`, also with the original
question, fusing both rankings by reciprocal rank (the original keeps names, numbers and terms that a
translator may mangle). It has `HybridSearcher.search`'s signature, so the evaluation and the ask
flow use it unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from ventanilla.language.translate import TARGET, QueryTranslator, Translator
from ventanilla.retrieval.hybrid import HybridSearcher, RetrievalResult, SearchMode, Source

RRF_K = 60


def fuse(primary: RetrievalResult, secondary: RetrievalResult, weight: float, top_k: int) -> RetrievalResult:
    """Reciprocal-rank fusion of two rankings of legal units (cited units stay first)."""
    scored: dict[str, Source] = {}
    totals: dict[str, float] = {}
    for w, result in ((1.0, primary), (weight, secondary)):
        for rank, source in enumerate(result.sources, start=1):
            key = source.parent_id
            totals[key] = totals.get(key, 0.0) + w / (RRF_K + rank)
            if key not in scored or (source.cited and not scored[key].cited):
                scored[key] = source
    ranked = sorted(scored.values(), key=lambda s: (s.cited, totals[s.parent_id]), reverse=True)[:top_k]
    fused = [Source(s.document, totals[s.parent_id], s.dense_score, s.sparse_score, s.cited) for s in ranked]
    timings = {k: primary.timings.get(k, 0.0) + secondary.timings.get(k, 0.0) for k in primary.timings}
    return RetrievalResult(
        primary.query,
        fused,
        top_dense=max(primary.top_dense, secondary.top_dense),
        coverage=primary.coverage,
        timings=timings,
    )


class MemoSearcher:
    """Memoises `HybridSearcher.search` so a benchmark can score several variants (original only,
    translated only, fused) from the same searches. Latencies of repeated calls are not real."""

    def __init__(self, searcher: HybridSearcher) -> None:
        self.searcher = searcher
        self.encoder = searcher.encoder
        self._memo: dict[tuple[Any, ...], RetrievalResult] = {}

    def search(
        self,
        query: str,
        domain_names: Sequence[str],
        access: Sequence[str] = ("public",),
        top_k: int | None = None,
        lang: str = TARGET,
        mode: SearchMode = "hybrid",
    ) -> RetrievalResult:
        key = (query, tuple(domain_names), tuple(access), top_k, lang, mode)
        if key not in self._memo:
            self._memo[key] = self.searcher.search(query, domain_names, access, top_k, lang, mode)
        return self._memo[key]


class CrossLingualSearcher:
    """`HybridSearcher.search` with the question first translated into Spanish."""

    def __init__(
        self,
        searcher: HybridSearcher | MemoSearcher,
        translator: Translator | None,
        fuse_original: bool = False,
        original_weight: float = 0.5,
        lang: str = TARGET,
    ) -> None:
        self.searcher = searcher
        self.translator = QueryTranslator(translator)
        self.fuse_original = fuse_original
        self.original_weight = original_weight
        self.lang = lang  # question language when the caller does not pass one (evaluation runs)
        self.encoder = searcher.encoder

    def search(
        self,
        query: str,
        domain_names: Sequence[str],
        access: Sequence[str] = ("public",),
        top_k: int | None = None,
        lang: str | None = None,
        mode: SearchMode = "hybrid",
    ) -> RetrievalResult:
        language = lang or self.lang
        out: dict[str, Any] = self.translator.run(text=query, lang=language)
        k = top_k or 10
        primary = self.searcher.search(
            out["query"], domain_names, access=access, top_k=k, lang=TARGET, mode=mode
        )
        primary.timings["translate_ms"] = out["translate_ms"]
        if not (out["translated"] and self.fuse_original):
            return primary
        start = time.perf_counter()
        # the index is Spanish: the original is analysed with the Spanish analyzer too
        secondary = self.searcher.search(query, domain_names, access=access, top_k=k, lang=TARGET, mode=mode)
        secondary.timings = {"search2_ms": (time.perf_counter() - start) * 1000}
        return fuse(primary, secondary, self.original_weight, k)
