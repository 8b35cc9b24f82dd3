"""Subjects of law the corpus does not regulate: a question about the Impuesto sobre Sociedades asked
of a corpus without its law has no evidence, however close its words are to some IRPF article.

The gazetteer (`data/subjects.yaml`) maps everyday subject phrases to the norm that governs them. A
question matching a phrase of a norm that is not ingested, when no retrieved unit carries that phrase
in its heading, counts as naming an unknown norm (see `mentions_unknown_norm`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ventanilla.retrieval.citations import _fold

GAZETTEER = Path(__file__).with_name("data") / "subjects.yaml"


@dataclass(frozen=True)
class Subject:
    norm_id: str
    name: str
    phrase: str


@lru_cache(maxsize=4)
def _patterns(path: Path = GAZETTEER) -> tuple[tuple[str, str, str, re.Pattern[str]], ...]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    out = []
    for entry in entries:
        for phrase in entry.get("phrases", []):
            folded = _fold(str(phrase)).strip()
            body = r"\s+".join(re.escape(word) for word in folded.split())
            pattern = re.compile(rf"(?<!\w){body}(?!\w)")
            out.append((str(entry["norm_id"]), str(entry.get("name", entry["norm_id"])), folded, pattern))
    return tuple(out)


def subjects_in(text: str) -> list[Subject]:
    """Every gazetteer subject the text mentions (a phrase may belong to several norms)."""
    folded = _fold(text)
    return [Subject(norm_id, name, phrase) for norm_id, name, phrase, p in _patterns() if p.search(folded)]


def uncovered_subject(text: str, known_norms: Iterable[str], headings: Iterable[str]) -> Subject | None:
    """The first subject of the text governed only by norms outside `known_norms` and absent from every
    heading in `headings` (the top retrieved units' titles); None when the corpus covers the text."""
    known = set(known_norms)
    found = subjects_in(text)
    covered_phrases = {s.phrase for s in found if s.norm_id in known}
    folded_headings = [_fold(h) for h in headings if h]
    for subject in found:
        if subject.norm_id in known or subject.phrase in covered_phrases:
            continue
        if any(subject.phrase in heading for heading in folded_headings):
            continue
        return subject
    return None
