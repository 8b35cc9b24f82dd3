"""`ventanilla train ner`: a Spanish de-identification NER trained from a blank spaCy `es` pipeline.

Trained on the MEDDOCAN train split with its own labels (the MEDDOCAN categories), tuned on dev
(the epoch with the best dev F1 is kept), reproducible from the command: fixed seed, one thread,
documents in name order. The result is a plain spaCy pipeline folder that presidio loads by path.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import compounding, fix_random_seed, minibatch  # type: ignore[attr-defined]

from ventanilla.privacy.brat import BratDocument, read_brat_dir
from ventanilla.privacy.tokenizer import punct_tokenizer


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = 12
    seed: int = 13
    width: int = 96
    depth: int = 4
    embed_size: int = 6000
    window: int = 1
    hidden_width: int = 64
    dropout: float = 0.15
    batch_start: int = 8
    batch_end: int = 48
    patience: int = 4
    limit: int | None = None  # train on the first N documents only (quick iterations)


@dataclass
class TrainReport:
    best_epoch: int = 0
    best_f1: float = 0.0
    history: list[dict[str, float]] = field(default_factory=list)
    seconds: float = 0.0
    train_docs: int = 0
    dev_docs: int = 0


def blank_pipeline(config: TrainConfig, labels: list[str]) -> Language:
    nlp = spacy.blank("es")
    nlp.tokenizer = punct_tokenizer(nlp)
    ner = nlp.add_pipe(
        "ner",
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "extra_state_tokens": False,
                "hidden_width": config.hidden_width,
                "maxout_pieces": 2,
                "use_upper": True,
                "nO": None,
                "tok2vec": {
                    "@architectures": "spacy.HashEmbedCNN.v2",
                    "pretrained_vectors": None,
                    "width": config.width,
                    "depth": config.depth,
                    "embed_size": config.embed_size,
                    "window_size": config.window,
                    "maxout_pieces": 3,
                    "subword_features": True,
                },
            }
        },
    )
    for label in labels:
        ner.add_label(label)  # type: ignore[attr-defined]
    return nlp


def _lines(doc: BratDocument) -> Iterator[tuple[int, str]]:
    """Non-empty lines with their offsets: MEDDOCAN entities never cross a line break."""
    offset = 0
    for line in doc.text.split("\n"):
        if line.strip():
            yield offset, line
        offset += len(line) + 1


def make_examples(nlp: Language, docs: list[BratDocument]) -> list[Example]:
    examples: list[Example] = []
    for doc in docs:
        for offset, line in _lines(doc):
            predicted = nlp.make_doc(line)
            reference = nlp.make_doc(line)
            ents: list[Span] = []
            for span in doc.spans:
                if span.start >= offset and span.end <= offset + len(line):
                    ent = reference.char_span(
                        span.start - offset, span.end - offset, label=span.label, alignment_mode="expand"
                    )
                    if ent is not None and not any(ent.start < e.end and e.start < ent.end for e in ents):
                        ents.append(ent)
            reference.ents = ents
            examples.append(Example(predicted, reference))
    return examples


def predict_spans(nlp: Language, text: str) -> list[tuple[int, int, str]]:
    """Entities of a whole document, line by line (as trained)."""
    spans: list[tuple[int, int, str]] = []
    offsets = [o for o, _ in _lines_of(text)]
    lines = [line for _, line in _lines_of(text)]
    doc: Doc
    for offset, doc in zip(offsets, nlp.pipe(lines, batch_size=64), strict=True):
        spans.extend((offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents)
    return spans


def _lines_of(text: str) -> Iterator[tuple[int, str]]:
    return _lines(BratDocument("", text))


def ner_f1(nlp: Language, docs: list[BratDocument]) -> dict[str, float]:
    tp = fp = fn = 0
    for doc in docs:
        gold = {(s.start, s.end, s.label) for s in doc.spans}
        pred = set(predict_spans(nlp, doc.text))
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def train_ner(
    train_dir: Path,
    dev_dir: Path,
    out_dir: Path,
    config: TrainConfig = TrainConfig(),
    progress: Callable[[dict[str, float]], None] | None = None,
) -> TrainReport:
    started = time.perf_counter()
    random.seed(config.seed)
    fix_random_seed(config.seed)
    train_docs = read_brat_dir(train_dir, limit=config.limit)
    dev_docs = read_brat_dir(dev_dir)
    labels = sorted({s.label for d in train_docs for s in d.spans})
    nlp = blank_pipeline(config, labels)
    examples = make_examples(nlp, train_docs)
    optimizer = nlp.initialize(lambda: examples)
    report = TrainReport(train_docs=len(train_docs), dev_docs=len(dev_docs))
    sizes = compounding(config.batch_start, config.batch_end, 1.001)
    rng = random.Random(config.seed)
    stale = 0
    for epoch in range(1, config.epochs + 1):
        order = list(examples)
        rng.shuffle(order)
        losses: dict[str, float] = {}
        for batch in minibatch(order, size=sizes):  # type: ignore[no-untyped-call]
            nlp.update(batch, drop=config.dropout, sgd=optimizer, losses=losses)
        scores = ner_f1(nlp, dev_docs)
        row = {"epoch": float(epoch), "loss": round(float(losses.get("ner", 0.0)), 2), **scores}
        report.history.append(row)
        if progress is not None:
            progress(row)
        if scores["f1"] > report.best_f1:
            report.best_f1, report.best_epoch, stale = scores["f1"], epoch, 0
            with nlp.use_params(optimizer.averages):
                nlp.to_disk(out_dir)
        else:
            stale += 1
            if stale >= config.patience:
                break
    report.seconds = time.perf_counter() - started
    meta: dict[str, Any] = {
        "trained_by": "ventanilla train ner",
        "train_config": config.__dict__,
        "labels": labels,
        "best_epoch": report.best_epoch,
        "dev": report.history[report.best_epoch - 1] if report.best_epoch else {},
        "train_docs": report.train_docs,
        "dev_docs": report.dev_docs,
        "data": "MEDDOCAN (SPACCC_MEDDOCAN) train split; dev split for model selection",
        "data_licence": "CC BY 4.0 (Marimon et al. 2019, Barcelona Supercomputing Center / Plan TL)",
    }
    (out_dir / "training.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return report
