"""The NER model plug-in for presidio: our trained spaCy pipeline behind presidio's spaCy NLP engine.

The model folder ships in the package (`privacy/model`, built by `ventanilla train ner`); another one
can be named with VENTANILLA_PRIVACY_NER_MODEL. It is loaded by path, so presidio never tries to
download a spaCy model. Lemmas fall back to the lower-cased token (the pipeline has no lemmatizer) so
that presidio's context words still match.
"""

from __future__ import annotations

import os
from pathlib import Path

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.tokens import Doc
from spacy.util import filter_spans

from ventanilla.privacy.entities import BY_MEDDOCAN_LABEL
from ventanilla.privacy.training import predict_spans

MODEL_DIR = Path(__file__).resolve().parent / "model"
NER_SCORE = 0.85


class NerModelMissing(FileNotFoundError):
    """The NER model folder does not exist (run `ventanilla train ner`)."""


def model_path() -> Path:
    from ventanilla.settings import get_settings

    configured = (
        os.environ.get("VENTANILLA_PRIVACY_NER_MODEL", "").strip() or get_settings().privacy_ner_model
    )
    path = Path(configured) if configured else MODEL_DIR
    if not (path / "config.cfg").is_file():
        raise NerModelMissing(f"no NER model at {path}: run `ventanilla train ner`")
    return path


class VentanillaNlpEngine(SpacyNlpEngine):  # type: ignore[misc]
    """presidio's spaCy engine over the de-identification model, registered as language `es`."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or model_path()
        super().__init__(
            models=[{"lang_code": "es", "model_name": str(self.path)}],
            ner_model_configuration=NerModelConfiguration(
                model_to_presidio_entity_mapping=dict(BY_MEDDOCAN_LABEL),
                low_score_entity_names=[],
                labels_to_ignore=[],
                default_score=NER_SCORE,
            ),
        )

    def load(self) -> None:
        self.nlp = {"es": spacy.load(self.path)}  # type: ignore[assignment]

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """Tokens of the whole text, entities predicted line by line, as the model was trained
        (a whole document at once costs ~3 points of precision on MEDDOCAN dev)."""
        if not self.nlp:
            raise ValueError("NLP engine is not loaded")
        nlp = self.nlp["es"]
        doc = nlp.make_doc(text)
        spans = []
        for start, end, label in predict_spans(nlp, text):
            span = doc.char_span(start, end, label=label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.ents = filter_spans(spans)
        return self._doc_to_nlp_artifact(doc, language)

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        artifacts: NlpArtifacts = super()._doc_to_nlp_artifact(doc, language)
        artifacts.lemmas = [token.lemma_ or token.lower_ for token in doc]
        # presidio derives its context keywords from the lemmas when the artifacts are built
        artifacts.keywords = NlpArtifacts.set_keywords(self, artifacts.lemmas, language)
        return artifacts
