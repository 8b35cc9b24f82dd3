"""What the caller gets when generation cannot give a grounded answer.

- LLM down, slow or erroring (`on_failure`: a setting, `VENTANILLA_LLM_ON_FAILURE`, that a channel may
  override per request): the extractive answer, clearly labelled, or an error the API turns into a 503.
- Answer left with no valid citation (`on_no_citation`, per domain in `llm:`): an abstention, or the
  extractive answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ventanilla.answer.extractive import compose_extractive
from ventanilla.i18n import t
from ventanilla.retrieval.hybrid import Source
from ventanilla.retrieval.lexical import SparseEncoder

OnFailure = Literal["extractive", "error"]
OnNoCitation = Literal["abstain", "extractive"]
ON_FAILURE_CHOICES: tuple[str, ...] = ("extractive", "error")


@dataclass
class Outcome:
    """The answer the service returns, whichever way it was produced."""

    answer: str
    mode: Literal["generative", "extractive", "abstained"]
    sources: list[Source]
    citations: list[int]
    info: dict[str, Any] = field(default_factory=dict)


def abstention(language: str, info: dict[str, Any]) -> Outcome:
    return Outcome(t("abstain", language), "abstained", [], [], info)


def extractive(
    question: str,
    sources: Sequence[Source],
    language: str,
    encoder: SparseEncoder,
    info: dict[str, Any],
    notice: bool,
) -> Outcome:
    """The extractive answer; with `notice`, prefixed by the localized "LLM unavailable" label."""
    text, cited = compose_extractive(question, sources, language, encoder)
    if notice:
        text = f"{t('llm_unavailable_notice', language)}\n{text}"
    return Outcome(text, "extractive", list(sources), cited, info)
