"""Grounded generation for one question: prompt → LLM (deadline) → citation check → policy.

Called by the ask service once retrieval has found enough evidence; the evidence gate before it
already abstains without calling the model when the sources are too weak.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Protocol

from haystack.components.generators.chat import OpenAIChatGenerator

from ventanilla.domain import Domain, LlmConfig
from ventanilla.generation.citations import check_citations
from ventanilla.generation.generator import LlmUnavailableError, generate, make_chat_generator
from ventanilla.generation.policy import OnFailure, Outcome, abstention, extractive
from ventanilla.generation.prompts import GroundedPromptBuilder
from ventanilla.retrieval.hybrid import Source
from ventanilla.retrieval.lexical import SparseEncoder
from ventanilla.settings import Settings


class AnswerSink(Protocol):
    """Receives the sources, then the tokens, while an answer is being produced (streaming)."""

    def sources(self, sources: Sequence[Source]) -> None: ...

    def token(self, text: str) -> None: ...


class GenerativeAnswerer:
    def __init__(self, settings: Settings, domains: dict[str, Domain], encoder: SparseEncoder) -> None:
        if not settings.llm_url:
            raise ValueError("GenerativeAnswerer needs VENTANILLA_LLM_URL")
        self.settings = settings
        self.base_url: str = settings.llm_url
        self.domains = domains
        self.encoder = encoder
        self.prompt_builder = GroundedPromptBuilder(domains)
        self._generators: dict[LlmConfig, OpenAIChatGenerator] = {}

    def generator_for(self, llm: LlmConfig) -> OpenAIChatGenerator:
        if llm not in self._generators:
            self._generators[llm] = make_chat_generator(self.base_url, self.settings.llm_api_key, llm)
        return self._generators[llm]

    def lead_domain(self, sources: Sequence[Source], names: Sequence[str]) -> Domain:
        """The domain whose prompt and model answer: that of the best source (several-domain asks)."""
        name = str(sources[0].meta.get("domain") or "") if sources else ""
        return self.domains[name] if name in self.domains else self.domains[names[0]]

    def answer(
        self,
        question: str,
        language: str,
        names: Sequence[str],
        sources: Sequence[Source],
        timings: dict[str, float],
        sink: AnswerSink | None = None,
        on_failure: OnFailure | None = None,
    ) -> Outcome:
        """Raises LlmUnavailableError when the LLM fails and the policy is 'error'."""
        domain = self.lead_domain(sources, names)
        llm = domain.config.llm
        policy: OnFailure = on_failure or self.settings.llm_on_failure
        if sink is not None:
            sink.sources(sources)
        start = time.perf_counter()
        messages = self.prompt_builder.run(question, list(sources), domain.name, language)["messages"]
        timings["prompt_ms"] = (time.perf_counter() - start) * 1000
        info: dict[str, Any] = {"model": llm.served_model, "domain": domain.name}
        try:
            generation = generate(
                self.generator_for(llm), messages, llm.timeout_s, sink.token if sink is not None else None
            )
        except LlmUnavailableError as exc:
            timings["llm_ms"] = (time.perf_counter() - start) * 1000 - timings["prompt_ms"]
            info["fallback"] = f"llm_{exc.reason}"
            if policy == "error":
                raise
            return extractive(question, sources, language, self.encoder, info, notice=True)
        timings["llm_ms"] = generation.llm_ms
        if generation.ttft_ms is not None:
            timings["ttft_ms"] = generation.ttft_ms
        checked = check_citations(generation.text, len(sources))
        info.update(
            {"finish_reason": generation.finish_reason, "removed_citations": checked.removed_count,
             "raw_citations": len(checked.citations) + checked.removed_count}
        )  # fmt: skip
        if not checked.citations:
            info["fallback"] = "no_valid_citation"
            if llm.on_no_citation == "extractive":
                return extractive(question, sources, language, self.encoder, info, notice=False)
            return abstention(language, info)
        return Outcome(checked.text, "generative", list(sources), checked.citations, info)
