"""MEDDOCAN-style evaluation of the anonymization pipeline on a brat folder.

- strict (sub-track 1): a prediction counts when offsets and MEDDOCAN category both match the gold;
- span (sub-track 2, strict span): offsets match, category ignored;
- leak rate: share of gold personal-data characters (non-space) left unmasked in the anonymized text;
- overmask rate: share of the other non-space characters that were masked (what the text lost);
- docs_per_s: documents through detection + anonymization per second (one process, this machine).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ventanilla.privacy.brat import BratDocument
from ventanilla.privacy.entities import meddocan_of

# (text) -> (predicted spans [(start, end, MEDDOCAN label)], masked intervals [(start, end)], output text)
Predictor = Callable[[str], tuple[list[tuple[int, int, str]], list[tuple[int, int]], str]]


@dataclass
class EvalReport:
    docs: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    span_tp: int = 0
    span_fp: int = 0
    span_fn: int = 0
    gold_chars: int = 0
    leaked_chars: int = 0
    other_chars: int = 0
    overmasked_chars: int = 0
    seconds: float = 0.0
    per_label: dict[str, Counter[str]] = field(default_factory=dict)

    @staticmethod
    def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def as_dict(self) -> dict[str, Any]:
        p, r, f1 = self._prf(self.tp, self.fp, self.fn)
        sp, sr, sf1 = self._prf(self.span_tp, self.span_fp, self.span_fn)
        labels = {}
        for label, c in sorted(self.per_label.items()):
            lp, lr, lf = self._prf(c["tp"], c["fp"], c["fn"])
            labels[label] = {
                "precision": round(lp, 4),
                "recall": round(lr, 4),
                "f1": round(lf, 4),
                "support": c["tp"] + c["fn"],
            }
        return {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(f1, 4),
            "span_precision": round(sp, 4),
            "span_recall": round(sr, 4),
            "span_f1": round(sf1, 4),
            "leak_rate": round(self.leaked_chars / self.gold_chars, 5) if self.gold_chars else 0.0,
            "overmask_rate": round(self.overmasked_chars / self.other_chars, 5) if self.other_chars else 0.0,
            "docs": self.docs,
            "docs_per_s": round(self.docs / self.seconds, 2) if self.seconds else 0.0,
            "seconds": round(self.seconds, 2),
            "per_label": labels,
        }


def evaluate(
    docs: list[BratDocument], predict: Predictor, progress: Callable[[], None] | None = None
) -> EvalReport:
    report = EvalReport()
    for doc in docs:
        started = time.perf_counter()
        predicted, masked, _ = predict(doc.text)
        report.seconds += time.perf_counter() - started
        report.docs += 1
        gold = {(s.start, s.end, s.label) for s in doc.spans}
        pred = set(predicted)
        report.tp += len(gold & pred)
        report.fp += len(pred - gold)
        report.fn += len(gold - pred)
        for label in {g[2] for g in gold} | {q[2] for q in pred}:
            c = report.per_label.setdefault(label, Counter())
            g_l = {x for x in gold if x[2] == label}
            p_l = {x for x in pred if x[2] == label}
            c["tp"] += len(g_l & p_l)
            c["fp"] += len(p_l - g_l)
            c["fn"] += len(g_l - p_l)
        gold_spans = {(s, e) for s, e, _ in gold}
        pred_spans = {(s, e) for s, e, _ in pred}
        report.span_tp += len(gold_spans & pred_spans)
        report.span_fp += len(pred_spans - gold_spans)
        report.span_fn += len(gold_spans - pred_spans)
        covered = bytearray(len(doc.text))
        for start, end in masked:
            covered[start:end] = b"\x01" * (end - start)
        personal = bytearray(len(doc.text))
        for s in doc.spans:
            personal[s.start : s.end] = b"\x01" * (s.end - s.start)
        for i, char in enumerate(doc.text):
            if char.isspace():
                continue
            if personal[i]:
                report.gold_chars += 1
                report.leaked_chars += not covered[i]
            else:
                report.other_chars += 1
                report.overmasked_chars += covered[i]
        if progress is not None:
            progress()
    return report


def ventanilla_predictor(entities: tuple[str, ...] | None = None, residual: bool = True) -> Predictor:
    """Our pipeline: presidio analyzer (trained NER + recognizers) and presidio anonymizer.

    Residual spans (`ventanilla.privacy.residual`, all rules: the health domain's policy for clinical
    cases) are masked but are not entities: they count in the leak and overmask rates, never in the
    entity scores.
    """
    from ventanilla.privacy.anonymize import apply_detections
    from ventanilla.privacy.engine import detect
    from ventanilla.privacy.residual import ALL_RULES, with_residual

    def predict(text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]], str]:
        detections = detect(text, entities)
        spans = [(d.start, d.end, meddocan_of(d.entity)) for d in detections]
        if residual:
            detections = with_residual(text, detections, ALL_RULES)
        masked = apply_detections(text, detections)
        return spans, [(d.start, d.end) for d in masked.detections], masked.text

    return predict
