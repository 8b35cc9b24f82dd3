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
from ventanilla.audit import AuditError, Auditor, pseudonymize_for_audit, public_model_identity
from ventanilla.domain import LANGUAGES, Domain
from ventanilla.generation.answerer import AnswerSink, GenerativeAnswerer  # generation (issue 6)
from ventanilla.generation.generator import LlmUnavailableError  # generation (issue 6)
from ventanilla.generation.policy import OnFailure  # generation (issue 6)
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
    model: dict[str, Any] = field(default_factory=dict)  # id, revision, adapter (AI Act Art. 50)
    # --- privacy (issue 4): the question as retrieval/model/audit saw it, and the vault that maps its
    # placeholders back (in memory only; `ventanilla.privacy.restore(text, vault)` for the clinician).
    masked_question: str = ""
    vault: Any = field(default=None, repr=False, compare=False)
    generation: dict[str, Any] | None = None  # generation (issue 6): model, fallback, removed citations
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
            "model": self.model,
            "generation": self.generation,  # generation (issue 6)
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

    def __init__(
        self,
        settings: Settings,
        domains: dict[str, Domain],
        embedder: Embedder,
        auditor: Auditor | None = None,
    ) -> None:
        self.settings = settings
        self.domains = domains
        self.auditor = auditor or Auditor(settings)  # audit trail (issue 7)
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
        # --- generation (issue 6): generative answers when VENTANILLA_LLM_URL is set ---
        self.generative: GenerativeAnswerer | None = (
            GenerativeAnswerer(settings, domains, self.searcher.encoder) if settings.llm_url else None
        )
        # --- end generation ---

    def resolve_domains(
        self, domain: str, allowed: Sequence[str] | None = None, lang: str = "es"
    ) -> list[str]:
        names = sorted(self.domains) if domain == "all" else [domain]
        for name in names:
            if name not in self.domains:
                raise AskError(
                    t("error_unknown_domain", lang, domain=name, available=", ".join(sorted(self.domains))),
                    404,
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
        *,
        channel: str = "api",
        caller_key_id: str = "anonymous",  # the API-keys work passes the key id here
        sink: AnswerSink | None = None,  # generation (issue 6): streaming receiver
        on_llm_failure: OnFailure | None = None,  # generation (issue 6): per-channel override
    ) -> AskResult:
        """Answer, then write the audit record; no record, no answer (`AskError` 503)."""
        result = self._answer(question, domain, lang, access, top_k, sink=sink, on_llm_failure=on_llm_failure)
        # --- audit trail (issue 7): one record per answered request, written before returning ---
        names = self.resolve_domains(domain, lang=result.language)
        result.model = public_model_identity(self.settings, self.domains[names[0]] if names else None)
        try:
            result.audit_id = self.auditor.record_answer(
                result,
                pseudonymized_question=result.masked_question
                if self.settings.privacy_pseudonymize_questions
                else pseudonymize_for_audit(question.strip(), result.language),
                pseudonymized_answer=pseudonymize_for_audit(result.answer, result.language),
                domains=[self.domains[n] for n in names],
                channel=channel,
                caller_key_id=caller_key_id,
            )
        except AuditError as exc:
            raise AskError(t("error_audit_unavailable", result.locale or result.language), 503) from exc
        # --- end audit trail ---
        return result

    def _answer(
        self,
        question: str,
        domain: str,
        lang: str | None = None,
        access: Sequence[str] = ("public",),
        top_k: int | None = None,
        sink: AnswerSink | None = None,  # generation (issue 6): streaming receiver
        on_llm_failure: OnFailure | None = None,  # generation (issue 6): per-channel override
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
        # --- privacy (issue 4): pseudonymize before retrieval, generation, logs and audit
        vault = None
        if self.settings.privacy_pseudonymize_questions:
            from ventanilla.privacy import pseudonymize

            question, vault = pseudonymize(question, language)
        # --- privacy (issue 4): end
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
            abstain = t("abstain", locale)
            return AskResult(
                abstain,
                "abstained",
                language,
                [],
                [],
                evidence,
                timings,
                masked_question=question,
                vault=vault,
                locale=locale,
            )
        # --- generation (issue 6): generate, check citations, fall back per policy ---
        mode: Mode = "extractive"
        generation_info: dict[str, Any] | None = None
        if self.generative is not None:
            try:
                outcome = self.generative.answer(
                    question, language, names, sources, timings, sink=sink, on_failure=on_llm_failure
                )
            except LlmUnavailableError as exc:
                raise AskError(t("error_llm_unavailable", locale), 503) from exc
            answer, mode, sources, cited = outcome.answer, outcome.mode, outcome.sources, outcome.citations
            generation_info = outcome.info
        else:
            answer, cited = compose_extractive(result.query, sources, locale, self.searcher.encoder)
        # --- end generation ---
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        return AskResult(
            answer,
            mode,
            language,
            sources,
            cited,
            evidence,
            timings,
            generation=generation_info,
            masked_question=question,
            vault=vault,
            locale=locale,
        )
