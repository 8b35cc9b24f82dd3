"""The analyzer and anonymizer engines, built once per process.

Never a plain `AnalyzerEngine()` (it would download an English model): the analyzer gets our NLP engine
(the trained NER), our recognizer registry and the context enhancer explicitly. All recognizers are
registered under `es`; their context words cover es/ca/eu/gl, and the NER runs on any of them.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from presidio_anonymizer import AnonymizerEngine

from ventanilla.privacy.entities import ALL_ENTITIES, BY_MEDDOCAN_LABEL
from ventanilla.privacy.ner import NER_SCORE, VentanillaNlpEngine
from ventanilla.privacy.recognizers import LANGUAGE, pattern_recognizers
from ventanilla.privacy.refine import ELIDED_ARTICLE, refine

os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")  # presidio's e-mail check must not fetch

_lock = threading.Lock()
_analyzers: dict[str, AnalyzerEngine] = {}
_anonymizer: AnonymizerEngine | None = None


@dataclass(frozen=True)
class Detection:
    start: int
    end: int
    entity: str
    score: float
    text: str
    source: str  # "ner" or the recognizer's name


def build_analyzer(model: Path | None = None) -> AnalyzerEngine:
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recognizer in pattern_recognizers():
        registry.add_recognizer(recognizer)
    registry.add_recognizer(
        SpacyRecognizer(
            supported_language=LANGUAGE,
            supported_entities=sorted(set(BY_MEDDOCAN_LABEL.values())),
            ner_strength=NER_SCORE,
            name="VentanillaNerRecognizer",
        )
    )
    nlp_engine = VentanillaNlpEngine(model)
    nlp_engine.load()
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        context_aware_enhancer=LemmaContextAwareEnhancer(
            context_similarity_factor=0.35,
            min_score_with_context_similarity=0.4,
            context_prefix_count=4,
            context_suffix_count=1,
        ),
    )


def analyzer(model: Path | None = None) -> AnalyzerEngine:
    key = str(model or "")
    with _lock:
        if key not in _analyzers:
            _analyzers[key] = build_analyzer(model)
        return _analyzers[key]


def anonymizer() -> AnonymizerEngine:
    global _anonymizer
    with _lock:
        if _anonymizer is None:
            _anonymizer = AnonymizerEngine()  # type: ignore[no-untyped-call]
        return _anonymizer


def _priority(result: RecognizerResult) -> int:
    """Check-digit-validated identifiers beat the NER; the NER beats the other patterns."""
    name = result.recognition_metadata.get("recognizer_name", "") if result.recognition_metadata else ""
    if result.score >= 0.999:
        return 2
    return 1 if name == "VentanillaNerRecognizer" else 0


def _name(result: RecognizerResult) -> str:
    return str(result.recognition_metadata.get("recognizer_name", "")) if result.recognition_metadata else ""


_NOT_PERSON = frozenset({"INSTITUTION", "HOSPITAL", "HEALTH_CENTRE", "LOCATION", "COUNTRY", "STREET_ADDRESS"})
_NAMES = frozenset({"PERSON", "HEALTH_PROFESSIONAL"})
_ORGANISATIONS = frozenset({"INSTITUTION", "HOSPITAL", "HEALTH_CENTRE"})


def resolve(results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Non-overlapping spans: by priority, then score, then length; returned in text order.

    A name after a possessive relative ("mi madre María López") is that relative, and one introduced
    as a name ("de nombre …") a person: a NER span of a place or organisation type over it gives way,
    and so does a NER person span over a relative's name.

    A NER span strictly inside a confident pattern match of another type is a fragment the NER got
    wrong ("0123456789" of a health-card code read as a date): it gives way to the pattern.
    """
    confident = [r for r in results if _name(r) != "VentanillaNerRecognizer" and r.score >= 0.6]
    named = [r for r in results if _name(r) == "VentanillaRelativeNameRecognizer"]
    results = [
        r
        for r in results
        if _name(r) != "VentanillaNerRecognizer"
        or not any(
            n.start < r.end
            and r.start < n.end
            and (r.entity_type in _NOT_PERSON or (n.entity_type == "RELATIVE" and r.entity_type in _NAMES))
            for n in named
        )
    ]
    # A known given name with its surnames ("Ana López García") that is exactly the NER's span is a
    # person, not the organisation the NER may read in it; places keep the NER's reading ("Miranda de
    # Ebro", "Benito Juárez" are towns).
    given = {(r.start, r.end) for r in results if _name(r) == "VentanillaGivenName"}
    results = [
        r
        for r in results
        if not (
            _name(r) == "VentanillaNerRecognizer"
            and r.entity_type in _ORGANISATIONS
            and (r.start, r.end) in given
        )
    ]
    results = [
        r
        for r in results
        if _name(r) != "VentanillaNerRecognizer"
        or not any(
            c.start <= r.start
            and r.end <= c.end
            and (c.end - c.start) > (r.end - r.start)
            and c.entity_type != r.entity_type
            for c in confident
        )
    ]
    ranked = sorted(results, key=lambda r: (-_priority(r), -r.score, -(r.end - r.start), r.start))
    kept: list[RecognizerResult] = []
    for result in ranked:
        if all(result.end <= k.start or result.start >= k.end for k in kept):
            kept.append(result)
    return sorted(kept, key=lambda r: r.start)


def detect(
    text: str,
    entities: list[str] | tuple[str, ...] | None = None,
    score_threshold: float = 0.4,
    model: Path | None = None,
) -> list[Detection]:
    """Personal data in `text` (any of es/ca/eu/gl), resolved to non-overlapping spans."""
    if not text.strip():
        return []
    wanted = list(entities) if entities else list(ALL_ENTITIES)
    results = analyzer(model).analyze(
        text=text, language=LANGUAGE, entities=wanted, score_threshold=score_threshold
    )
    detections = []
    for r in resolve(results):
        name = r.recognition_metadata.get("recognizer_name", "") if r.recognition_metadata else ""
        detections.append(Detection(r.start, r.end, r.entity_type, r.score, text[r.start : r.end], name))
    # Refinement may retype a span ("Gobernu Oneko Kontseilua" is an institution): keep what was asked.
    refined = refine(text, detections, frozenset(wanted))
    return propagate(text, [d for d in refined if d.entity in wanted])


# Names and places the detector found once are masked wherever else they occur in the same text: a
# clinical note repeats "Sr. García Pérez" or a town, and the detector may miss a later mention.
PROPAGATED = frozenset(
    {"PERSON", "HEALTH_PROFESSIONAL", "RELATIVE", "STREET_ADDRESS", "LOCATION", "HOSPITAL",
     "HEALTH_CENTRE", "INSTITUTION"}
)  # fmt: skip
MIN_PROPAGATED_CHARS = 4


def propagate(text: str, detections: list[Detection]) -> list[Detection]:
    """Every other whole-word, same-case occurrence of a detected name or place, same type. An
    occurrence that contains shorter detections ("Roberto Gallego" where "Roberto Gallego  Pinazo"
    was found elsewhere) replaces them: otherwise the rest of the name is left in the text."""
    kept = list(detections)
    seen: set[str] = set()
    for d in sorted(detections, key=lambda x: -(x.end - x.start)):
        value = d.text.strip()
        if d.entity not in PROPAGATED or len(value) < MIN_PROPAGATED_CHARS or value in seen:
            continue
        if not any(ch.isupper() for ch in value):
            continue
        seen.add(value)
        for match in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", text):
            start, end = match.start(), match.end()
            if d.entity == "LOCATION" and ELIDED_ARTICLE.search(text, max(0, start - 3), start):
                start -= 2  # "L’Hospitalet de Llobregat" where "Hospitalet de Llobregat" was found
            overlapping = [k for k in kept if k.start < end and start < k.end]
            if any(k.start < start or k.end > end or (k.start, k.end) == (start, end) for k in overlapping):
                continue
            kept = [k for k in kept if k not in overlapping]
            kept.append(Detection(start, end, d.entity, d.score, text[start:end], "propagated"))
    return sorted(kept, key=lambda x: x.start)
