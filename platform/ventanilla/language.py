"""Language identification of documents and questions.

langdetect (named by the customer) is the baseline detector here; it has no Basque or Galician profile,
which the co-official-languages work addresses. Supported codes are the product's five languages.
"""

from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect_langs

from ventanilla.domain import LANGUAGES

DetectorFactory.seed = 0  # langdetect is random by default; answers must be reproducible


def detect_language(text: str, default: str = "es") -> str:
    """The most likely product language of `text` (`default` when unsure or unsupported)."""
    sample = text.strip()[:5000]
    if len(sample) < 3:
        return default
    try:
        candidates = detect_langs(sample)
    except LangDetectException:
        return default
    for candidate in candidates:
        if candidate.lang in LANGUAGES and candidate.prob >= 0.5:
            return str(candidate.lang)
    return default
