"""How much the retrieved evidence supports answering at all: the abstention signal.

Reciprocal-rank scores say nothing about absolute relevance, so the signal combines the raw ones: the
best dense cosine (does any unit talk about this?) and the share of the question's content terms that
the best unit contains (does it use the question's words?). An article the question cites explicitly
is full evidence; a question that names only norms the corpus does not hold ("el artículo 197 del
Código Penal" asked of administrative law) has none.

The band below was measured on the development questions of both rag-legal-boe sets (103 questions,
41 without a relevant unit in the bundled corpus): a wide plateau of settings gives about 0.93
out-of-corpus abstention with under 0.10 abstention on answerable questions.
"""

from __future__ import annotations

from ventanilla.retrieval.hybrid import RetrievalResult

# multilingual-e5 cosines live in a narrow band (~0.85 unrelated to ~0.93 close paraphrase).
DENSE_FLOOR = 0.85
DENSE_CEIL = 0.93


def evidence_score(result: RetrievalResult) -> float:
    if not result.sources:
        return 0.0
    if any(s.cited for s in result.sources):
        return 1.0
    if result.unknown_norm:
        return 0.0
    dense = (result.top_dense - DENSE_FLOOR) / (DENSE_CEIL - DENSE_FLOOR)
    dense = min(1.0, max(0.0, dense))
    return 0.5 * dense + 0.5 * result.coverage
