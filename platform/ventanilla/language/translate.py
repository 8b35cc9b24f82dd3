"""Query translation for cross-lingual retrieval: a question in ca, eu, gl or en is translated into
Spanish, the language of the law, before retrieval (the multilingual embedder alone does not bridge the
gap; figures in docs/languages.md).

Two backends, chosen by configuration (`VENTANILLA_TRANSLATOR`):

* `apertium` (embedded default): Debian's Apertium rule-based translator, run as a subprocess with the
  language pairs the setup installs (apertium-spa-cat, apertium-es-gl, apertium-eu-es, apertium-eng-spa).
* `openai`: any OpenAI-compatible chat endpoint (`VENTANILLA_TRANSLATOR_URL`), for example SalamandraTA
  served by vLLM in production.
* `none`: no translation (retrieval with the original question only).

A translation failure never loses the question: retrieval then runs on the original text, and the
failure is reported in the component's output.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
import time
from collections.abc import Hashable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import httpx
from haystack import component

from ventanilla.language.glossary import protect_terms, unprotect

log = logging.getLogger(__name__)

TARGET = "es"

# Apertium mode (as installed under /usr/share/apertium/modes) that translates each language to Spanish.
APERTIUM_MODES: dict[str, str] = {"ca": "cat-spa", "gl": "gl-es", "eu": "eu-es", "en": "eng-spa"}

LANGUAGE_NAMES = {"es": "Spanish", "ca": "Catalan", "eu": "Basque", "gl": "Galician", "en": "English"}


class TranslationError(RuntimeError):
    """The translator is missing, failed or timed out."""


class Translator(Hashable, Protocol):
    @property
    def name(self) -> str: ...

    def translate(self, text: str, source: str, target: str = TARGET) -> str: ...


@dataclass(frozen=True)
class ApertiumTranslator:
    """Apertium through its command-line front end (`apertium -u MODE`; `-u` drops unknown-word marks)."""

    binary: str = "apertium"
    timeout_s: float = 10.0
    glossary: bool = True  # administrative-law terms fixed before translation (glossary.py)
    name: str = "apertium"

    def available(self, source: str) -> bool:
        return source in APERTIUM_MODES and shutil.which(self.binary) is not None

    def translate(self, text: str, source: str, target: str = TARGET) -> str:
        if target != TARGET or source not in APERTIUM_MODES:
            raise TranslationError(f"apertium: no pair {source}->{target}")
        if shutil.which(self.binary) is None:
            raise TranslationError("apertium is not installed (the setup installs it with apt-get)")
        try:
            done = subprocess.run(
                [self.binary, "-u", APERTIUM_MODES[source]],
                input=protect_terms(text, source) if self.glossary else text,
                capture_output=True,
                text=True,
                timeout=self.timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise TranslationError(f"apertium timed out after {self.timeout_s} s") from exc
        if done.returncode != 0:
            raise TranslationError(f"apertium failed: {done.stderr.strip()[:200]}")
        return re.sub(r"\s+", " ", unprotect(done.stdout)).strip()


@dataclass(frozen=True)
class OpenAITranslator:
    """An OpenAI-compatible `/v1/chat/completions` endpoint (e.g. SalamandraTA on vLLM)."""

    url: str
    model: str
    api_key: str = "not-needed"
    timeout_s: float = 20.0
    name: str = "openai"

    def translate(self, text: str, source: str, target: str = TARGET) -> str:
        prompt = (
            f"Translate the following text from {LANGUAGE_NAMES.get(source, source)} into "
            f"{LANGUAGE_NAMES.get(target, target)}. Answer with the translation only.\n\n{text}"
        )
        try:
            response = httpx.post(
                self.url.rstrip("/") + "/chat/completions",
                json={
                    "model": self.model,
                    "messages": [{"role": "user", "content": prompt}],
                    "temperature": 0,
                    "max_tokens": 512,
                },
                headers={"Authorization": f"Bearer {self.api_key}"},
                timeout=self.timeout_s,
            )
            response.raise_for_status()
            content = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, KeyError, IndexError, ValueError) as exc:
            raise TranslationError(f"translation endpoint failed: {exc}") from exc
        return str(content).strip()


def make_translator(settings: Any) -> Translator | None:
    """The translator the settings name (`translator`: apertium, openai or none)."""
    kind = str(getattr(settings, "translator", "apertium")).lower()
    if kind == "none":
        return None
    if kind == "openai":
        url = getattr(settings, "translator_url", None)
        if not url:
            raise ValueError("VENTANILLA_TRANSLATOR=openai needs VENTANILLA_TRANSLATOR_URL")
        return OpenAITranslator(
            url=str(url),
            model=str(getattr(settings, "translator_model", "salamandraTA")),
            api_key=str(getattr(settings, "translator_api_key", "not-needed")),
            timeout_s=float(getattr(settings, "translator_timeout_s", 20.0)),
        )
    if kind == "apertium":
        return ApertiumTranslator(
            timeout_s=float(getattr(settings, "translator_timeout_s", 10.0)),
            glossary=bool(getattr(settings, "translator_glossary", True)),
        )
    raise ValueError(f"unknown translator '{kind}' (apertium, openai or none)")


@lru_cache(maxsize=2048)
def _cached(translator: Translator, text: str, source: str) -> str:
    return translator.translate(text, source)


@component
class QueryTranslator:
    """Translates a question into Spanish for retrieval; Spanish questions pass through unchanged.

    Outputs `query` (what retrieval searches: the translation, or the original when there is nothing
    to translate or translation failed), `original`, and `translated` (whether `query` is a
    translation)."""

    def __init__(self, translator: Translator | None) -> None:
        self.translator = translator

    @component.output_types(query=str, original=str, translated=bool, translate_ms=float)
    def run(self, text: str, lang: str) -> dict[str, Any]:
        start = time.perf_counter()
        query, translated = text, False
        if self.translator is not None and lang != TARGET:
            try:
                query = _cached(self.translator, text, lang) or text
                translated = query != text
            except TranslationError as exc:
                log.warning("query translation %s->es failed, searching the original: %s", lang, exc)
        return {
            "query": query,
            "original": text,
            "translated": translated,
            "translate_ms": (time.perf_counter() - start) * 1000,
        }
