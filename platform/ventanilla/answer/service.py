"""The ask flow, as a Haystack pipeline: retrieve → judge the evidence → compose a cited answer.

Every answer states that it comes from an AI system and carries its sources; with too little evidence
the assistant abstains instead of guessing.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from haystack import Pipeline, component

from ventanilla.answer.extractive import compose_extractive
from ventanilla.domain import LANGUAGES, Domain
from ventanilla.i18n import locale_for, t
from ventanilla.index.embedder import Embedder
from ventanilla.language import detect_language, normalize_language
from ventanilla.language.translate import make_translator
from ventanilla.language.xling import CrossLingualSearcher
from ventanilla.retrieval.evidence import evidence_score
from ventanilla.retrieval.hybrid import HybridSearcher, RetrievalResult, Source
from ventanilla.settings import Settings

Mode = Literal["extractive", "generative", "abstained"]
MAX_QUESTION_CHARS = 2000


class AskError(ValueError):
    """A request the service cannot take (unknown domain, empty question...): a 4xx, not a 5xx."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class AskResult:
    answer: str
    mode: Mode
    language: str
    sources: list[Source]
    citations: list[int]
    evidence: float
    timings: dict[str, float] = field(default_factory=dict)
    audit_id: str | None = None
    locale: str | None = None  # message locale when it differs from `language` (ca@valencia)

    def as_json(self) -> dict[str, Any]:
        sources = []
        for number, source in enumerate(self.sources, start=1):
            meta = source.meta
            sources.append(
                {
                    "n": number,
                    "id": source.document.id,
                    "parent_id": source.parent_id,
                    "domain": meta.get("domain"),
                    "norm": meta.get("norm_id"),
                    "norm_title": meta.get("norm_title"),
                    "article": meta.get("article"),
                    "title": meta.get("title"),
                    "url": meta.get("url"),
                    "access": meta.get("access"),
                    "text": source.document.content,
                    "score": round(source.score, 6),
                }
            )
        cited_ids = [sources[n - 1]["id"] for n in self.citations if 0 < n <= len(sources)]
        return {
            "answer": self.answer,
            "mode": self.mode,
            "language": self.language,
            "sources": sources,
            "citations": cited_ids,
            "ai_disclosure": t("ai_disclosure", self.locale or self.language),
            "audit_id": self.audit_id,
        }


@component
class Retrieve:
    def __init__(self, searcher: HybridSearcher | CrossLingualSearcher) -> None:
        self.searcher = searcher

    @component.output_types(result=RetrievalResult)
    def run(
        self, question: str, domains: list[str], access: list[str], top_k: int, lang: str = "es"
    ) -> dict[str, Any]:
        return {"result": self.searcher.search(question, domains, access=access, top_k=top_k, lang=lang)}


@component
class EvidenceGate:
    """Keeps the sources only when the evidence clears the domain's threshold."""

    @component.output_types(sources=list[Source], evidence=float)
    def run(self, result: RetrievalResult, min_evidence: float) -> dict[str, Any]:
        score = evidence_score(result)
        return {"sources": result.sources if score >= min_evidence else [], "evidence": score}


class AskService:
    """Answers questions over the indexed domains (extractive until an LLM endpoint is configured)."""

    def __init__(self, settings: Settings, domains: dict[str, Domain], embedder: Embedder) -> None:
        self.settings = settings
        self.domains = domains
        self.searcher = HybridSearcher(settings, domains, embedder)
        # co-official languages: the question is translated into Spanish before retrieval
        self.xling = CrossLingualSearcher(
            self.searcher,
            make_translator(settings),
            settings.xling_fuse_original,
            settings.xling_original_weight,
        )
        self.pipeline = Pipeline()
        self.pipeline.add_component("retrieve", Retrieve(self.xling))
        self.pipeline.add_component("gate", EvidenceGate())
        self.pipeline.connect("retrieve.result", "gate.result")

    def resolve_domains(self, domain: str, allowed: Sequence[str] | None = None, lang: str = "es") -> list[str]:
        names = sorted(self.domains) if domain == "all" else [domain]
        for name in names:
            if name not in self.domains:
                raise AskError(
                    t("error_unknown_domain", lang, domain=name, available=", ".join(sorted(self.domains))), 404
                )
        if allowed is not None:
            names = [n for n in names if n in allowed]
        return names

    def ask(
        self,
        question: str,
        domain: str,
        lang: str | None = None,
        access: Sequence[str] = ("public",),
        top_k: int | None = None,
    ) -> AskResult:
        started = time.perf_counter()
        question = question.strip()
        if lang is not None:  # explicit language (variants such as ca-valencia accepted)
            try:
                language, _ = normalize_language(lang)
            except ValueError:
                raise AskError(
                    t("error_unsupported_language", "es", lang=lang, available=", ".join(LANGUAGES)), 422
                ) from None
        else:
            language = detect_language(question, fallbacks=self.settings.language_fallbacks)
        locale = locale_for(lang) if lang else language
        if not question:
            raise AskError(t("error_empty_question", locale), 422)
        if len(question) > MAX_QUESTION_CHARS:
            raise AskError(t("error_question_too_long", locale, max=MAX_QUESTION_CHARS), 422)
        names = self.resolve_domains(domain, lang=locale)
        k = top_k or max(self.domains[n].config.retrieval.top_k for n in names)
        min_evidence = min(self.domains[n].config.retrieval.min_evidence for n in names)
        output = self.pipeline.run(
            {
                "retrieve": {
                    "question": question,
                    "domains": names,
                    "access": list(access),
                    "top_k": k,
                    "lang": language,
                },
                "gate": {"min_evidence": min_evidence},
            },
            include_outputs_from={"retrieve"},
        )
        result: RetrievalResult = output["retrieve"]["result"]
        sources: list[Source] = output["gate"]["sources"]
        evidence: float = output["gate"]["evidence"]
        timings = dict(result.timings)
        if not sources:
            timings["total_ms"] = (time.perf_counter() - started) * 1000
            return AskResult(
                t("abstain", locale), "abstained", language, [], [], evidence, timings, locale=locale
            )
        answer, cited = compose_extractive(result.query, sources, locale, self.searcher.encoder)
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        return AskResult(answer, "extractive", language, sources, cited, evidence, timings, locale=locale)
