"""Reader for brat standoff corpora (`.txt` + `.ann` pairs), as MEDDOCAN ships them.

Offsets are character offsets into the `.txt` read as UTF-8; a leading BOM is kept so that they stay
valid (32 MEDDOCAN files start with one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class BratError(ValueError):
    """A brat folder or annotation file that cannot be read."""


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    text: str = ""


@dataclass
class BratDocument:
    name: str
    text: str
    spans: list[Span] = field(default_factory=list)


def parse_ann(ann: str, text: str, name: str = "") -> list[Span]:
    """Text-bound annotations (`T` lines); discontinuous spans keep their outer extent."""
    spans: list[Span] = []
    for line_no, line in enumerate(ann.splitlines(), start=1):
        if not line.startswith("T"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise BratError(f"{name}:{line_no}: malformed annotation line")
        head = parts[1].replace(";", " ").split()
        try:
            label, start, end = head[0], int(head[1]), int(head[-1])
        except (IndexError, ValueError) as exc:
            raise BratError(f"{name}:{line_no}: malformed offsets in {parts[1]!r}") from exc
        if not 0 <= start < end <= len(text):
            raise BratError(f"{name}:{line_no}: offsets {start}-{end} outside the text")
        spans.append(Span(start, end, label, text[start:end]))
    spans.sort(key=lambda s: (s.start, s.end))
    return spans


def read_brat_dir(folder: Path, limit: int | None = None) -> list[BratDocument]:
    """Every `.txt` with its `.ann` (an `.ann` missing means no annotations), sorted by name."""
    if not folder.is_dir():
        raise BratError(f"brat folder not found: {folder}")
    docs: list[BratDocument] = []
    for txt in sorted(folder.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        ann_path = txt.with_suffix(".ann")
        ann = ann_path.read_text(encoding="utf-8") if ann_path.exists() else ""
        docs.append(BratDocument(txt.stem, text, parse_ann(ann, text, str(ann_path))))
        if limit is not None and len(docs) >= limit:
            break
    if not docs:
        raise BratError(f"no .txt files in {folder}")
    return docs
