"""Ranking metrics over graded judgments (gains 2/1; each parent counted once, at its best rank)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def _dedupe(ranked: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in ranked:
        if item not in seen:
            seen.add(item)
            out.append(item)
    return out


def ndcg_at(ranked: Sequence[str], gains: Mapping[str, int], k: int = 10) -> float:
    ranking = _dedupe(ranked)[:k]
    dcg = sum(gains.get(p, 0) / math.log2(i + 2) for i, p in enumerate(ranking) if gains.get(p, 0) > 0)
    ideal = sorted((g for g in gains.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: Sequence[str], gains: Mapping[str, int], k: int = 5) -> float:
    relevant = {p for p, g in gains.items() if g > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(_dedupe(ranked)[:k])) / len(relevant)


def mrr_at(ranked: Sequence[str], gains: Mapping[str, int], k: int = 10) -> float:
    for i, p in enumerate(_dedupe(ranked)[:k]):
        if gains.get(p, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def hit_at_1(ranked: Sequence[str], gains: Mapping[str, int]) -> float:
    ranking = _dedupe(ranked)
    return 1.0 if ranking and gains.get(ranking[0], 0) > 0 else 0.0
