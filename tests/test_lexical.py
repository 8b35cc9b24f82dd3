"""Spanish analyzer and BM25 sparse vectors (Qdrant IDF modifier turns the dot product into BM25)."""

from __future__ import annotations

import hashlib
import math
from collections import Counter

import pytest

from ventanilla.retrieval.lexical import SparseEncoder, analyze, fold, term_id, tokenize


def test_fold_lowercases_and_strips_accents() -> None:
    assert fold("Resolución ÁRBOL Ñandú") == "resolucion arbol nandu"


def test_analyze_stems_drops_stopwords_keeps_numbers_and_norm_numbers() -> None:
    terms = analyze("¿Qué establece el artículo 21 de la Ley 39/2015 sobre las notificaciones?")
    assert "39/2015" in terms and "21" in terms
    assert "que" not in terms and "la" not in terms and "el" not in terms
    assert analyze("notificaciones") == analyze("notificación") == analyze("notificacion")


def test_analyze_acronyms_amounts_and_abbreviations() -> None:
    assert analyze("DPO")[0] == analyze("dpo")[0]
    assert "40000" in analyze("un importe de 40.000 euros")
    assert analyze("art. 21") == analyze("artículo 21")


def test_catalan_stopwords_and_stemmer() -> None:
    terms = analyze("L'article 21 de la Llei 39/2015 sobre l'obligació de resoldre", lang="ca")
    assert "21" in terms and "39/2015" in terms
    assert "de" not in terms and "l" not in terms


def test_tokenize_keeps_norm_numbers_whole() -> None:
    assert "39/2015" in tokenize("Ley 39/2015, de 1 de octubre")


def test_term_id_is_stable_unsigned_32_bit() -> None:
    assert term_id("plaz") == term_id("plaz")
    assert 0 <= term_id("plaz") < 2**32
    # fixed value: the index must not change across processes or releases
    assert term_id("plaz") == int.from_bytes(hashlib.blake2b(b"plaz", digest_size=4).digest(), "little")


def test_query_vector_has_unit_weights_per_unique_term() -> None:
    indices, values = SparseEncoder().encode_query("plazo plazo de recurso")
    assert len(indices) == 2 and values == [1.0, 1.0]
    assert indices == sorted(indices)


def test_invalid_parameters_raise() -> None:
    with pytest.raises(ValueError):
        SparseEncoder(b=1.5)


def _reference_bm25(query: str, docs: list[str], k1: float, b: float, avgdl: float) -> list[float]:
    """Textbook Okapi BM25 with Qdrant's IDF, computed directly on analysed terms."""
    analysed = [analyze(d) for d in docs]
    n_docs = len(docs)
    df: Counter[str] = Counter()
    for terms in analysed:
        df.update(set(terms))
    scores = []
    for terms in analysed:
        tf = Counter(terms)
        score = 0.0
        for term in set(analyze(query)):
            if tf[term]:
                idf = math.log(1 + (n_docs - df[term] + 0.5) / (df[term] + 0.5))
                score += idf * tf[term] * (k1 + 1) / (tf[term] + k1 * (1 - b + b * len(terms) / avgdl))
        scores.append(score)
    return scores


DOCS = [
    "Artículo 21. Obligación de resolver. La Administración está obligada a dictar resolución expresa.",
    "Artículo 122. Plazos. El plazo para la interposición del recurso de alzada será de un mes.",
    "Artículo 124. Plazos. El plazo para la interposición del recurso de reposición será de un mes.",
    "Artículo 68. Subsanación y mejora de la solicitud. Se requerirá al interesado para que subsane.",
]


@pytest.mark.parametrize(
    "query", ["plazo del recurso de alzada", "obligación de resolver", "subsanar solicitud"]
)
def test_sparse_dot_product_with_idf_equals_reference_bm25(query: str) -> None:
    encoder = SparseEncoder(k1=1.2, b=0.75, avg_doc_len=12.0)
    doc_vectors = [dict(zip(*encoder.encode_document(d), strict=True)) for d in DOCS]
    df: Counter[int] = Counter()
    for vector in doc_vectors:
        df.update(vector.keys())
    q_idx, q_val = encoder.encode_query(query)
    got = [
        sum(
            w * vector[i] * math.log(1 + (len(DOCS) - df[i] + 0.5) / (df[i] + 0.5))
            for i, w in zip(q_idx, q_val, strict=True)
            if i in vector
        )
        for vector in doc_vectors
    ]
    expected = _reference_bm25(query, DOCS, 1.2, 0.75, 12.0)
    assert got == pytest.approx(expected)


def test_fields_weight_heading_like_repeated_text() -> None:
    encoder = SparseEncoder()
    heading, body = "Plazos de recurso", "El recurso se interpone en un mes."
    fielded = encoder.encode_fields([(heading, 2.0), (body, 1.0)])
    repeated = encoder.encode_document(f"{heading} {heading} {body}")
    assert fielded[0] == repeated[0]
    assert fielded[1] == pytest.approx(repeated[1])
