"""Hybrid retrieval over one or several domains: dense + sparse candidates from Qdrant, fused by
weighted reciprocal rank, aggregated to legal units (parent ids), with explicit article citations
("artículo 21 de la Ley 39/2015") resolved and placed first.

Access control is a Qdrant filter on every query, so a caller without the `internal` level never
receives an internal document whatever the question.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from haystack import Document
from haystack.dataclasses import SparseEmbedding

from ventanilla.domain import Domain
from ventanilla.index import local_index
from ventanilla.index.embedder import Embedder
from ventanilla.index.store import get_store, retrievers
from ventanilla.retrieval.citations import NormRef, find_citations, mentions_unknown_norm
from ventanilla.retrieval.lexical import SparseEncoder
from ventanilla.retrieval.subjects import uncovered_subject
from ventanilla.settings import Settings

SearchMode = Literal["hybrid", "dense", "sparse"]


@dataclass
class Source:
    """One retrieved legal unit (its best chunk) with its fused score and the raw signals."""

    document: Document
    score: float
    dense_score: float = 0.0
    sparse_score: float = 0.0
    cited: bool = False

    @property
    def meta(self) -> dict[str, Any]:
        return self.document.meta

    @property
    def parent_id(self) -> str:
        return str(self.document.meta.get("parent_id", self.document.id))


@dataclass
class RetrievalResult:
    query: str
    sources: list[Source]
    top_dense: float = 0.0
    coverage: float = 0.0
    unknown_norm: bool = False  # the query names only norms, or subjects, outside the catalogue
    timings: dict[str, float] = field(default_factory=dict)


def access_filter(access: Sequence[str]) -> dict[str, Any]:
    return {"field": "meta.access", "operator": "in", "value": list(access)}


class HybridSearcher:
    """Searches the collections of the given domains with one query embedding."""

    def __init__(self, settings: Settings, domains: dict[str, Domain], embedder: Embedder) -> None:
        self.settings = settings
        self.domains = domains
        self.embedder = embedder
        self.encoder = SparseEncoder()
        self.catalogue: list[NormRef] = [
            NormRef(
                norm_id=s.norm_id,
                short_name=s.short_name or "",
                title=s.title or "",
                domain=name,
            )
            for name, domain in domains.items()
            for s in domain.config.sources
            if s.kind == "legislation" and s.norm_id
        ]

    def search(
        self,
        query: str,
        domain_names: Sequence[str],
        access: Sequence[str] = ("public",),
        top_k: int | None = None,
        lang: str = "es",
        mode: SearchMode = "hybrid",
    ) -> RetrievalResult:
        """`mode` "dense" or "sparse" gives the single-signal baselines (no citation resolution)."""
        timings: dict[str, float] = {}
        start = time.perf_counter()
        query_vector = self.embedder.embed_queries([query])[0].tolist()
        timings["embed_ms"] = (time.perf_counter() - start) * 1000
        indices, values = self.encoder.encode_query(query, lang=lang)
        sparse = SparseEmbedding(indices=indices, values=values) if indices else None

        fused: dict[str, Source] = {}
        filters = access_filter(access)
        k_final = top_k or max(self.domains[d].config.retrieval.top_k for d in domain_names)
        query_terms = set(self.encoder.query_terms(query, lang=lang))
        start = time.perf_counter()
        dense_hits: list[tuple[str, Document]] = []
        sparse_hits: list[tuple[str, Document]] = []
        for name in domain_names:
            config = self.domains[name].config.retrieval
            if not self.settings.qdrant_url:  # embedded mode: in-memory view of the local collection
                if mode != "sparse":
                    docs = local_index.dense_search(
                        self.settings, name, query_vector, access, config.candidates
                    )
                    dense_hits.extend((name, doc) for doc in docs)
                if sparse is not None and mode != "dense":
                    found = local_index.sparse_search(
                        self.settings, name, sparse.indices, sparse.values, access, config.candidates
                    )
                    sparse_hits.extend((name, doc) for doc in found)
                continue
            dense_retriever, sparse_retriever = retrievers(get_store(self.settings, name))
            if mode != "sparse":
                result = dense_retriever.run(
                    query_embedding=query_vector, filters=filters, top_k=config.candidates
                )
                dense_hits.extend((name, doc) for doc in result["documents"])
            if sparse is not None and mode != "dense":
                result = sparse_retriever.run(
                    query_sparse_embedding=sparse, filters=filters, top_k=config.candidates
                )
                sparse_hits.extend((name, doc) for doc in result["documents"])
        # Ranks are taken over the merged candidates of every domain, ordered by raw score (cosines
        # of one model; BM25 scores of one analyzer), so each list has one rank 1, not one per domain.
        for kind, hits in (("dense", dense_hits), ("sparse", sparse_hits)):
            hits.sort(key=lambda hit: float(hit[1].score or 0.0), reverse=True)
            seen_parents: set[str] = set()
            for name, doc in hits:
                key = f"{name}|{doc.meta.get('parent_id', doc.id)}"
                if key in seen_parents:
                    continue  # a unit counts once per list, at its best chunk
                seen_parents.add(key)
                config = self.domains[name].config.retrieval
                weight = config.dense_weight if kind == "dense" else config.sparse_weight
                entry = fused.get(key)
                if entry is None:
                    entry = fused[key] = Source(document=doc, score=0.0)
                entry.score += weight / (config.rrf_k + len(seen_parents))
                raw = float(doc.score or 0.0)
                if kind == "dense":
                    entry.dense_score = max(entry.dense_score, raw)
                else:
                    entry.sparse_score = max(entry.sparse_score, raw)
        timings["search_ms"] = (time.perf_counter() - start) * 1000

        for citation in find_citations(query, self.catalogue) if mode == "hybrid" else []:
            for name in domain_names:
                for doc in self._fetch_cited(name, citation.norm_id, citation.block_id, filters):
                    key = f"{name}|{doc.meta.get('parent_id')}"
                    entry = fused.get(key) or Source(document=doc, score=0.0)
                    entry.cited = True
                    fused[key] = entry

        ranked = sorted(fused.values(), key=lambda s: (s.cited, s.score), reverse=True)[:k_final]
        top_dense = max((s.dense_score for s in fused.values()), default=0.0)
        coverage = 0.0
        if ranked and query_terms:
            best_terms = set(self.encoder.query_terms(ranked[0].document.content or "", lang=lang))
            coverage = len(query_terms & best_terms) / len(query_terms)
        unknown = mentions_unknown_norm(query, self.catalogue) or self._uncovered(query, ranked[:3])
        return RetrievalResult(
            query, ranked, top_dense=top_dense, coverage=coverage, unknown_norm=unknown, timings=timings
        )

    def _uncovered(self, query: str, top: Sequence[Source]) -> bool:
        """The question's subject is governed by a norm no domain holds (retrieval/subjects.py)."""
        headings = [
            " ".join(
                str(x)
                for x in (s.meta.get("title"), s.meta.get("norm_title"), *s.meta.get("hierarchy", []))
                if x
            )
            for s in top
        ]
        return uncovered_subject(query, (ref.norm_id for ref in self.catalogue), headings) is not None

    def _fetch_cited(
        self, domain: str, norm_id: str, block_id: str | None, access: dict[str, Any]
    ) -> list[Document]:
        if block_id is None:
            return []
        if not self.settings.qdrant_url:
            levels = list(access["value"])  # the access filter built by `access_filter`
            return local_index.by_parent(self.settings, domain, f"{norm_id}__{block_id}", levels)[:1]
        filters = {
            "operator": "AND",
            "conditions": [
                access,
                {"field": "meta.parent_id", "operator": "==", "value": f"{norm_id}__{block_id}"},
            ],
        }
        docs = get_store(self.settings, domain).filter_documents(filters=filters)
        return sorted(docs, key=lambda d: int(d.meta.get("part", 0)))[:1]
