"""Language identification of documents and questions.

The identifier knows seven languages: the product's five (es, ca, eu, gl, en) and the two a Spanish
public service most often receives besides them (pt, fr), so that a Portuguese or French question is
recognised as such instead of being forced into Galician or Catalan. It combines:

* py3langid's character n-gram Naive Bayes model (BSD, ships inside the PyPI package), restricted to
  those seven languages;
* the project's own function-word profiles (`lexicon.py`), which carry the decision on 2-6 word
  questions where character statistics are weak;
* Hunspell spelling dictionaries (`dictionaries.py`): which languages know each word, the evidence
  that separates Spanish, Galician and Portuguese content words (*todavía*, *goberno*, *opinião*);
* segment voting for long text that mixes languages: each sentence is identified alone and the language
  covering most characters wins (the "main" language).

langdetect, named by the customer, has no Basque or Galician profile; its figures are kept in
docs/languages.md, where the comparison that chose this design is recorded.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ventanilla.domain import LANGUAGES
from ventanilla.language.dictionaries import word_evidence
from ventanilla.language.lexicon import LEXICON

__all__ = [
    "IDENTIFIED_LANGUAGES",
    "Identification",
    "detect_language",
    "identify",
    "normalize_language",
    "product_language",
]

IDENTIFIED_LANGUAGES: tuple[str, ...] = ("es", "ca", "eu", "gl", "en", "pt", "fr")

# Where a language the product does not serve is answered: Portuguese readers read Galician (and a
# short Galician question is the one most often mistaken for Portuguese); French falls back to Spanish,
# the language of the law.
DEFAULT_FALLBACKS: dict[str, str] = {"pt": "gl", "fr": "es"}

# Weight of one function word against py3langid's log-probability; chosen on the development sets
# (docs/languages.md) and the same for every language.
LEXICON_WEIGHT = 2.0
# Log-odds bonus of the product's languages over pt/fr: a public service in Spain mostly hears its
# own languages, so a near-tie between Galician and Portuguese (or Catalan and French) goes to the
# former. Chosen on the development sets (docs/languages.md).
PRODUCT_PRIOR = 1.0
# Weight of one word's dictionary evidence (`dictionaries.py`); 4-12 give the same figures on the
# development sets (docs/languages.md), 6 is the middle of that plateau.
DICTIONARY_WEIGHT = 6.0
_PRIOR = np.array([PRODUCT_PRIOR if lang in LANGUAGES else 0.0 for lang in IDENTIFIED_LANGUAGES])
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")
_MIN_SEGMENT_CHARS = 40

# Variants and spellings accepted for the product's languages (BCP 47 and POSIX locale forms).
_ALIASES = {
    "va": "ca",
    "ca-valencia": "ca",
    "ca-es-valencia": "ca",
    "ca_es@valencia": "ca",
    "ca@valencia": "ca",
    "val": "ca",
    "eus": "eu",
    "baq": "eu",
    "glg": "gl",
    "spa": "es",
    "cat": "ca",
    "eng": "en",
}


def normalize_language(code: str) -> tuple[str, str | None]:
    """`(language, variant)` for a language tag: `ca-ES-valencia` -> `("ca", "valencia")`,
    `es_ES.UTF-8` -> `("es", None)`. Raises ValueError for a language the product does not serve."""
    raw = code.strip().lower().replace(" ", "")
    base = raw.split(".")[0]
    variant = "valencia" if ("valencia" in base or base in ("va", "val")) else None
    lang = _ALIASES.get(base)
    if lang is None:
        lang = re.split(r"[-_@]", base)[0]
        lang = _ALIASES.get(lang, lang)
    if lang not in LANGUAGES:
        raise ValueError(code)
    return lang, variant


@dataclass(frozen=True)
class Identification:
    """The most likely language among IDENTIFIED_LANGUAGES with its normalised score."""

    language: str
    confidence: float
    scores: dict[str, float]


@lru_cache(maxsize=1)
def _ngram_model() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    model = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    model.set_languages(list(IDENTIFIED_LANGUAGES))
    return model


def _scores(text: str) -> np.ndarray:
    """Combined log-score per language in IDENTIFIED_LANGUAGES order."""
    model = _ngram_model()
    ranked = dict(model.rank(text))  # raw log-probabilities (norm_probs=False)
    ngram = np.array([float(ranked[lang]) for lang in IDENTIFIED_LANGUAGES])
    cased = _WORD.findall(text)
    words = [w.lower() for w in cased]
    if not words:
        plain: np.ndarray = ngram + _PRIOR
        return plain
    lexical = np.array([sum(1.0 for w in words if w in LEXICON[lang]) for lang in IDENTIFIED_LANGUAGES])
    # Word evidence matters most where the n-gram evidence is thin; its weight fades with length.
    fade = 1.0 if len(words) <= 12 else 12.0 / len(words)
    dictionary = word_evidence(cased, IDENTIFIED_LANGUAGES)
    combined: np.ndarray = (
        ngram
        + _PRIOR
        + fade * LEXICON_WEIGHT * lexical * _per_word_scale(ngram, len(words))
        + fade * DICTIONARY_WEIGHT * dictionary
    )
    return combined


def _per_word_scale(ngram: np.ndarray, n_words: int) -> float:
    # py3langid log-probabilities grow with text length; keep the lexicon comparable per word.
    spread = float(ngram.max() - np.median(ngram))
    return max(1.0, spread / max(n_words, 1) / 4.0)


def _identify_one(text: str) -> Identification:
    raw = _scores(text)
    shifted = np.exp(raw - raw.max())
    probs = shifted / shifted.sum()
    best = int(probs.argmax())
    scores = {lang: round(float(p), 6) for lang, p in zip(IDENTIFIED_LANGUAGES, probs, strict=True)}
    return Identification(IDENTIFIED_LANGUAGES[best], float(probs[best]), scores)


def identify(text: str) -> Identification | None:
    """The main language of `text`, or None for text with no letters.

    Text with several sentences is identified sentence by sentence, each weighted by its length, so a
    Catalan question quoting a Spanish article title is still Catalan when Catalan is most of it.
    """
    sample = text.strip()[:5000]
    if not _WORD.search(sample):
        return None
    segments = [s for s in _SENTENCE.split(sample) if _WORD.search(s)]
    if len(segments) < 2 or len(sample) < 2 * _MIN_SEGMENT_CHARS:
        return _identify_one(sample)
    weights: dict[str, float] = defaultdict(float)
    pending = ""
    for segment in segments:
        pending = f"{pending} {segment}".strip()
        if len(pending) < _MIN_SEGMENT_CHARS:
            continue
        found = _identify_one(pending)
        weights[found.language] += len(pending) * found.confidence
        pending = ""
    if pending:
        found = _identify_one(pending)
        weights[found.language] += len(pending) * found.confidence
    total = sum(weights.values()) or 1.0
    main = max(weights, key=lambda lang: weights[lang])
    return Identification(main, weights[main] / total, {k: round(v / total, 6) for k, v in weights.items()})


def product_language(identified: str, default: str = "es", fallbacks: dict[str, str] | None = None) -> str:
    """The product language that answers a text identified as `identified`."""
    if identified in LANGUAGES:
        return identified
    return (fallbacks or DEFAULT_FALLBACKS).get(identified, default)


def detect_language(text: str, default: str = "es", fallbacks: dict[str, str] | None = None) -> str:
    """The product language (es, ca, eu, gl, en) in which to treat `text`: its main language, or the
    fallback for pt/fr, or `default` for text without letters."""
    found = identify(text)
    if found is None:
        return default
    return product_language(found.language, default, fallbacks)
