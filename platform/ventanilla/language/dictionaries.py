"""Spelling dictionaries as word-level evidence for language identification.

A 2-6 word question is too short for character statistics, and function words are shared between
Spanish, Galician and Portuguese (`o`, `a`, `de`, `que`). Content words are not: *todavía* is only
Spanish, *goberno* and *enquisa* only Galician, *opinião* only Portuguese. The Hunspell dictionaries of
the Debian packages `hunspell-{es,gl,pt-pt,ca,eu,en-us,fr}` (GPL/LGPL/MPL, installed by
`scripts/setup.sh`) know every inflected form, and pyenchant reads them through libenchant.

Each word's evidence is split among the languages whose dictionary accepts it: a word only one language
knows counts 1 for that language, a word four languages know counts 1/4 for each, a word none knows
(a name, a number) counts nothing. Without the dictionaries (no apt on the host) identification keeps
working from the other signals, a little less accurate on short text; `available()` says which.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["DICTIONARY_TAGS", "available", "word_evidence"]

log = logging.getLogger(__name__)

# Enchant tags tried in order for each language the identifier knows.
DICTIONARY_TAGS: dict[str, tuple[str, ...]] = {
    "es": ("es_ES", "es"),
    "ca": ("ca_ES", "ca"),
    "eu": ("eu_ES", "eu"),
    "gl": ("gl_ES", "gl"),
    "en": ("en_US", "en_GB", "en"),
    "pt": ("pt_PT", "pt_BR", "pt"),
    "fr": ("fr_FR", "fr"),
}
# Words looked up per text: the evidence matters on short text, and long text needs little of it
# (a Hunspell miss costs ~20 µs per language). Answers are cached per word: words are Zipf-distributed.
MAX_WORDS = 12
_CACHE_WORDS = 100_000

# Hunspell handles are not documented as thread-safe; the API answers from a thread pool.
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _dictionaries() -> dict[str, Any]:
    try:
        import enchant
    except ImportError as exc:  # libenchant missing: pyenchant raises ImportError at import
        log.warning("spelling dictionaries unavailable (%s): short-text identification is less accurate", exc)
        return {}
    found: dict[str, Any] = {}
    for lang, tags in DICTIONARY_TAGS.items():
        for tag in tags:
            if enchant.dict_exists(tag):
                found[lang] = enchant.Dict(tag)
                break
    missing = sorted(set(DICTIONARY_TAGS) - set(found))
    if missing:
        log.warning("no spelling dictionary for %s: run scripts/setup.sh (hunspell packages)", missing)
    return found


def available() -> tuple[str, ...]:
    """The languages whose spelling dictionary is installed."""
    return tuple(sorted(_dictionaries()))


def _known(dictionary: Any, word: str) -> bool:
    if dictionary.check(word):
        return True
    # Sentence-initial capitals: "Todavía" is the word "todavía".
    return bool(word[:1].isupper() and dictionary.check(word.lower()))


@lru_cache(maxsize=_CACHE_WORDS)
def _share(word: str, languages: tuple[str, ...]) -> tuple[float, ...]:
    """The word's evidence per language: 1/k for each of the k languages that know it."""
    dictionaries = _dictionaries()
    with _lock:
        known = [float(lang in dictionaries and _known(dictionaries[lang], word)) for lang in languages]
    total = sum(known)
    return tuple(k / total for k in known) if total else tuple(known)


def word_evidence(words: list[str], languages: tuple[str, ...]) -> np.ndarray:
    """Per language in `languages` order, the sum over `words` of the word's share of evidence."""
    evidence = np.zeros(len(languages))
    if not _dictionaries():
        return evidence
    for word in words[:MAX_WORDS]:
        if len(word) >= 2 and word.isalpha():  # dictionaries accept numbers; they say nothing
            evidence += np.array(_share(word, languages))
    return evidence
