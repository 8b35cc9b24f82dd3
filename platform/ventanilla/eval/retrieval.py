"""Retrieval evaluation on rag-legal-boe questions and graded judgments."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ventanilla.eval.metrics import hit_at_1, mrr_at, ndcg_at, recall_at
from ventanilla.index.store import get_store
from ventanilla.retrieval.evidence import evidence_score
from ventanilla.retrieval.hybrid import HybridSearcher, SearchMode
from ventanilla.settings import Settings


@dataclass(frozen=True)
class Question:
    query_id: str
    query: str
    split: str
    gains: dict[str, int]


class EvalDataError(ValueError):
    """The questions or judgments file is missing or malformed."""


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise EvalDataError(f"file not found: {path}")
    rows = []
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise EvalDataError(f"{path}:{line_no}: invalid JSON ({exc.msg})") from exc
    return rows


def load_questions(questions: Path, judgments: Path, splits: Sequence[str] | None = None) -> list[Question]:
    for path in (questions, judgments):
        if not path.is_file():
            raise EvalDataError(f"file not found: {path}")
    gains: dict[str, dict[str, int]] = {}
    for row in _read_jsonl(judgments):
        try:
            gains.setdefault(str(row["query_id"]), {})[str(row["parent_id"])] = int(row["relevance"])
        except (KeyError, ValueError, TypeError) as exc:
            raise EvalDataError(f"{judgments}: judgment without query_id/parent_id/relevance: {row}") from exc
    out = []
    for row in _read_jsonl(questions):
        if "query_id" not in row or "query" not in row:
            raise EvalDataError(f"{questions}: question without query_id/query: {row}")
        split = str(row.get("split", ""))
        if splits and split not in splits:
            continue
        out.append(
            Question(str(row["query_id"]), str(row["query"]), split, gains.get(str(row["query_id"]), {}))
        )
    return out


def indexed_parents(settings: Settings, domains: Sequence[str]) -> set[str]:
    """Every parent id held by the given domains' collections (payload only, no vectors)."""
    parents: set[str] = set()
    for name in domains:
        store = get_store(settings, name)
        store._initialize_client()  # the integration exposes no public client accessor
        client = store._client
        assert client is not None
        offset = None
        while True:
            points, offset = client.scroll(
                collection_name=store.index,
                limit=1024,
                offset=offset,
                with_payload=["meta.parent_id"],
                with_vectors=False,
            )
            parents.update(str((p.payload or {}).get("meta", {}).get("parent_id")) for p in points)
            if offset is None:
                break
    return parents


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def evaluate(
    searcher: HybridSearcher,
    questions: Sequence[Question],
    domains: Sequence[str],
    min_evidence: float,
    mode: SearchMode = "hybrid",
    access: Sequence[str] = ("public", "internal"),
    on_question: Callable[[int, int], None] | None = None,
    corpus_parents: set[str] | None = None,
) -> dict[str, Any]:
    """nDCG@10, recall@5, MRR@10, hit@1 over answerable questions; abstention rates; latency.

    A question is answerable when a judged-relevant parent exists in the corpus: with
    `corpus_parents` (the indexed parent ids), questions whose relevant units are all outside the
    bundled corpus count as out of corpus, which is what they are for this index.
    """
    answerable: dict[str, list[float]] = {"ndcg@10": [], "recall@5": [], "mrr@10": [], "hit@1": []}
    abstained_answerable: list[float] = []
    abstained_ooc: list[float] = []
    latencies: list[float] = []
    embed_times: list[float] = []
    per_question = []
    for i, question in enumerate(questions, start=1):
        start = time.perf_counter()
        result = searcher.search(question.query, domains, access=access, top_k=10, mode=mode)
        latencies.append((time.perf_counter() - start) * 1000)
        embed_times.append(result.timings.get("embed_ms", 0.0))
        ranked = [s.parent_id for s in result.sources]
        abstains = evidence_score(result) < min_evidence
        if any(g > 0 and (corpus_parents is None or p in corpus_parents) for p, g in question.gains.items()):
            scores = {
                "ndcg@10": ndcg_at(ranked, question.gains, 10),
                "recall@5": recall_at(ranked, question.gains, 5),
                "mrr@10": mrr_at(ranked, question.gains, 10),
                "hit@1": hit_at_1(ranked, question.gains),
            }
            for key, value in scores.items():
                answerable[key].append(value)
            abstained_answerable.append(1.0 if abstains else 0.0)
            per_question.append({"query_id": question.query_id, **scores, "top": ranked[:3]})
        else:
            abstained_ooc.append(1.0 if abstains else 0.0)
            per_question.append({"query_id": question.query_id, "abstained": abstains, "top": ranked[:3]})
        if on_question:
            on_question(i, len(questions))

    def mean(values: list[float]) -> float | None:
        return round(statistics.fmean(values), 4) if values else None

    p50 = percentile(latencies, 0.5)
    embed_p50 = percentile(embed_times, 0.5)
    return {
        "mode": mode,
        **{key: mean(values) for key, values in answerable.items()},
        "n_questions": len(answerable["ndcg@10"]),
        "ooc_abstention": mean(abstained_ooc),
        "n_ooc": len(abstained_ooc),
        "answerable_abstention": mean(abstained_answerable),
        "latency_ms_p50": round(p50, 2),
        "latency_ms_p95": round(percentile(latencies, 0.95), 2),
        "query_embed_ms_p50": round(embed_p50, 2),
        "latency_to_embed_ratio": round(p50 / embed_p50, 2) if embed_p50 else None,
        "per_question": per_question,
    }
