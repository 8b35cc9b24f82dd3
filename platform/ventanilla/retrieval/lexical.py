"""Lexical analysis for Spanish (and co-official languages) legal text, and BM25 sparse vectors.

`analyze` turns text into index terms: lower case, accents folded, stopwords dropped, Snowball stems
(PyStemmer), numbers kept, norm numbers such as `39/2015` kept as one term (they name a law), and the
abbreviation `art.` read as `artículo`.

`SparseEncoder` produces Qdrant-ready sparse vectors whose dot product, once Qdrant applies its IDF
modifier (`modifier=IDF`, haystack's `sparse_idf=True`), is Okapi BM25:

* a document term weighs ``tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))`` where ``avgdl`` is a
  fixed parameter (the collection is indexed incrementally, so the true mean is not known up front);
* a query term weighs 1 (each unique term once);
* Qdrant multiplies each matching term by ``ln(1 + (N - n + 0.5) / (n + 0.5))``.

Term indices are a stable 32-bit hash (BLAKE2b) of the term, identical across processes and machines,
unlike Python's salted `hash()`. Collisions among the ~50k distinct stems of a legal corpus are rare
(expected ~0.3 pairs) and only merge two terms' statistics.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import Stemmer

__all__ = [
    "CATALAN_STOPWORDS",
    "DEFAULT_AVG_DOC_LEN",
    "SPANISH_STOPWORDS",
    "SparseEncoder",
    "SparseVector",
    "analyze",
    "fold",
    "term_id",
    "tokenize",
]

SparseVector = tuple[list[int], list[float]]

# Mean analysed length (terms) of an article-sized unit of Spanish state legislation (measured on
# ~6k articles of 17 laws: ~95 terms). BM25 is insensitive to moderate errors in this value.
DEFAULT_AVG_DOC_LEN = 100.0

_SPANISH = """
a al algo algun alguna algunas alguno algunos ante antes aquel aquella aquellas aquello aquellos aqui
asi aun cada como con contra cual cuales cualquier cuando cuanto cuanta cuantos cuantas de del desde
donde dos el ella ellas ello ellos en entre era erais eramos eran eras eres es esa esas ese eso esos
esta estaba estabais estabamos estaban estabas estad estada estadas estado estados estais estamos
estan estar estara estaran estaras estare estareis estaremos estaria estariais estariamos estarian
estarias estas este esteis estemos esten estes esto estos estoy estuve estuviera estuvieron estuvo
fue fuera fueran fueron fui fuimos ha habeis haber habia habiais habiamos habian habias habra habran
habras habre habreis habremos habria habrian han has hasta hay haya hayan hayas he hemos hube hubo
hubiera la las le les lo los me mi mia mias mio mios mis mucho muchos muy nada ni no nos nosotras
nosotros nuestra nuestras nuestro nuestros o os otra otras otro otros para pero poco por porque puede
pueden puedo que quien quienes se sea sean seas sera seran seras sere seria serian ser si sido siendo
sin sobre sois solo somos son soy su sus suya suyas suyo suyos tambien tanto te tendra tendran tenemos
tener tenga tengan tengo tenia tenian tiene tienen toda todas todo todos tu tus tuve tuvo tuya tuyo
un una uno unos unas usted ustedes vosotras vosotros vuestra vuestro y ya yo
deber debe deben debo hacer hace hacen hago mas menos tal tales cosa caso casos
"""

_CATALAN = """
a al als amb ans aquell aquella aquelles aquells aquest aquesta aquestes aquests aqui cada com con
contra d de del dels des dins dos el ella elles ells els em en entre era eren es esta estan estava
estaven esteu eu fa fan feia feien fer fins ha han has hem heu hi ho i jo l la les li lo los m me
meu meva meus meves mes n ni no nosaltres nostra nostre nostres o on pel pels per pero perque pot
poden pots puc que qui quin quina quines quins s sa se sense ser seu seva seus seves si sobre som son
sota su sus t te tenen tenir tinc tot tota totes tots tu un una unes uns us vosaltres vostra vostre
y ja jo fou va van
"""


def fold(text: str) -> str:
    """Lower case without accents (`Resolución` -> `resolucion`); `ñ` becomes `n`, `ç` becomes `c`."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


SPANISH_STOPWORDS: frozenset[str] = frozenset(_SPANISH.split())
CATALAN_STOPWORDS: frozenset[str] = frozenset(fold(w) for w in _CATALAN.split())

_STEMMER_FOR_LANG = {
    "es": "spanish",
    "ca": "catalan",
    "va": "catalan",
    "gl": "portuguese",
    "pt": "portuguese",
    "eu": "basque",
    "en": "english",
}

# `39/2015`, `2016/679` (norm numbers) stay whole; words, numbers and ordinals otherwise.
_TOKEN = re.compile(r"\d+/\d{2,4}|\d{1,3}(?:\.\d{3})+(?![\d])|[^\W_]+", re.UNICODE)

# Abbreviations read as the word they stand for (after folding).
_ABBREVIATIONS = {
    "art": "articulo",
    "arts": "articulo",
    "artigo": "articulo",
    "apdo": "apartado",
    "ap": "apartado",
    "num": "numero",
    "disp": "disposicion",
    "adic": "adicional",
}


@lru_cache(maxsize=8)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_STEMMER_FOR_LANG.get(lang, "spanish"))


def _stopwords(lang: str) -> frozenset[str]:
    if lang in ("ca", "va"):
        return CATALAN_STOPWORDS | frozenset({"que", "de", "la", "el", "y"})
    return SPANISH_STOPWORDS


def tokenize(text: str) -> list[str]:
    """Folded surface tokens, abbreviations expanded; no stopword removal or stemming."""
    tokens: list[str] = []
    for raw in _TOKEN.findall(fold(text)):
        if raw[0].isdigit() and "." in raw:
            raw = raw.replace(".", "")  # thousands separator: 40.000 -> 40000
        tokens.append(_ABBREVIATIONS.get(raw, raw))
    return tokens


def analyze(text: str, lang: str = "es") -> list[str]:
    """Index terms of `text` in document order (repeated terms repeated).

    Letters-only tokens of one character and stopwords are dropped; numbers are kept as they are
    (article numbers, amounts, years) and `39/2015` stays one term.
    """
    stop = _stopwords(lang)
    kept = [t for t in tokenize(text) if t not in stop and (len(t) > 1 or t.isdigit())]
    words = [t for t in kept if not t[0].isdigit()]
    stems = iter(_stemmer(lang).stemWords(words))  # one call for the whole list is much faster
    return [t if t[0].isdigit() else next(stems) for t in kept]


def term_id(term: str) -> int:
    """Stable unsigned 32-bit index of a term (BLAKE2b, the same in every process)."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=4).digest(), "little")


class SparseEncoder:
    """BM25 sparse vectors for Qdrant's IDF modifier (see the module docstring).

    `k1` saturates term frequency, `b` normalises by length against the fixed `avg_doc_len`.
    """

    def __init__(self, k1: float = 1.2, b: float = 0.75, avg_doc_len: float = DEFAULT_AVG_DOC_LEN) -> None:
        if k1 < 0 or not 0 <= b <= 1 or avg_doc_len <= 0:
            raise ValueError("need k1 >= 0, 0 <= b <= 1 and avg_doc_len > 0")
        self.k1 = k1
        self.b = b
        self.avg_doc_len = avg_doc_len

    # --- terms --------------------------------------------------------------------------------------

    def document_terms(self, text: str, lang: str = "es") -> list[str]:
        return analyze(text, lang=lang)

    def query_terms(self, text: str, lang: str = "es") -> list[str]:
        """Unique terms of a query, in first-occurrence order."""
        return list(dict.fromkeys(analyze(text, lang=lang)))

    # --- weights ------------------------------------------------------------------------------------

    def term_weights(self, term_counts: Counter[str] | dict[str, float], length: float) -> dict[str, float]:
        """BM25 saturated weights for (possibly fractional, field-weighted) term frequencies."""
        norm = self.k1 * (1.0 - self.b + self.b * length / self.avg_doc_len)
        return {t: tf * (self.k1 + 1.0) / (tf + norm) for t, tf in term_counts.items() if tf > 0}

    def encode_document(self, text: str, lang: str = "es") -> SparseVector:
        terms = analyze(text, lang=lang)
        return self._to_vector(self.term_weights(Counter(terms), float(len(terms))))

    def encode_fields(self, fields: Sequence[tuple[str, float]], lang: str = "es") -> SparseVector:
        """BM25F-style vector of several fields, e.g. ``[(heading, 3.0), (body, 1.0)]``.

        Each field's term frequencies and length are multiplied by its weight before saturation, so a
        heading term counts like several body occurrences without a separate index.
        """
        counts: Counter[str] = Counter()
        weighted: dict[str, float] = {}
        length = 0.0
        for text, weight in fields:
            terms = analyze(text, lang=lang)
            length += weight * len(terms)
            counts.clear()
            counts.update(terms)
            for term, tf in counts.items():
                weighted[term] = weighted.get(term, 0.0) + weight * tf
        return self._to_vector(self.term_weights(weighted, length))

    def encode_query(self, text: str, lang: str = "es") -> SparseVector:
        return self.encode_terms(self.query_terms(text, lang=lang))

    def encode_terms(self, terms: Iterable[str], weights: Iterable[float] | None = None) -> SparseVector:
        """A query vector from explicit terms (weight 1 each unless given; duplicates are summed)."""
        merged: dict[int, float] = {}
        term_list = list(terms)
        weight_list = [1.0] * len(term_list) if weights is None else [float(w) for w in weights]
        for term, weight in zip(term_list, weight_list, strict=True):
            index = term_id(term)
            merged[index] = (
                max(merged.get(index, 0.0), weight) if weights is None else (merged.get(index, 0.0) + weight)
            )
        indices = sorted(merged)
        return indices, [merged[i] for i in indices]

    @staticmethod
    def _to_vector(weights: dict[str, float]) -> SparseVector:
        merged: dict[int, float] = {}
        for term, weight in weights.items():
            index = term_id(term)
            merged[index] = merged.get(index, 0.0) + weight
        indices = sorted(merged)
        return indices, [merged[i] for i in indices]
