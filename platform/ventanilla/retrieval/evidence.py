"""How much the retrieved evidence supports answering at all: the abstention signal.

Reciprocal-rank scores say nothing about absolute relevance, so the signal combines the raw ones: the
best dense cosine (does any unit talk about this?) and the share of the question's content terms that
the best unit contains (does it use the question's words?).
"""

from __future__ import annotations

from ventanilla.retrieval.hybrid import RetrievalResult

# multilingual-e5 cosines live in a narrow band (~0.75 unrelated to ~0.9 close paraphrase).
DENSE_FLOOR = 0.78
DENSE_CEIL = 0.88


def evidence_score(result: RetrievalResult) -> float:
    if not result.sources:
        return 0.0
    if any(s.cited for s in result.sources):
        return 1.0
    dense = (result.top_dense - DENSE_FLOOR) / (DENSE_CEIL - DENSE_FLOOR)
    dense = min(1.0, max(0.0, dense))
    return 0.5 * dense + 0.5 * result.coverage
