"""Structure-aware chunking of one legal unit.

A unit that fits in `max_chars` is one chunk. A longer one is cut between apartados, never inside
one unless it alone is too long, and never across units (the chunker only ever sees one unit). The
unit heading ("Artículo 21. Obligación de resolver.") opens every chunk, so each part is
self-describing for retrieval and for citation.

Apartados are recognised by the marker style of the unit's first marked paragraph: `1.`/`2)`,
`Uno.`/`Dos.`, `—1`, `Primero.-`, `I.`, or `a)`. Paragraphs marked with another style (`a)` under
`1.`) and unmarked paragraphs belong to the current apartado. Packing is greedy: whole apartados while
they fit; an apartado that does not fit on its own is split at paragraph boundaries, and a paragraph
that does not fit at sentence boundaries (a single sentence longer than the budget is cut at spaces).
A final part shorter than `min_chars` is merged into its neighbour when the result still fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ventanilla.legal.units import LegalUnit

__all__ = ["ChunkText", "apartado_label", "chunk_unit"]

_WORD_NUMBERS = (
    "Uno|Dos|Tres|Cuatro|Cinco|Seis|Siete|Ocho|Nueve|Diez|Once|Doce|Trece|Catorce|Quince|Dieciséis"
    "|Diecisiete|Dieciocho|Diecinueve|Veinte|Veintiuno|Veintidós|Veintitrés|Veinticuatro|Veinticinco"
)
_ORDINAL_WORDS = (
    "Primero|Segundo|Tercero|Cuarto|Quinto|Sexto|Séptimo|Octavo|Noveno|Décimo|Undécimo|Duodécimo"
    "|Decimotercero|Decimocuarto|Decimoquinto|Único"
)
# (style, pattern); the label is group 1.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dash", re.compile(r"^[—–]\s?(\d{1,3})\b")),
    ("ordinal", re.compile(rf"^({_ORDINAL_WORDS})\.\s?[-–]")),
    ("word", re.compile(rf"^({_WORD_NUMBERS})\.\s")),
    ("number", re.compile(r"^(\d{1,3})\s?(?:\.(?![\dº°ª])|\))\s*")),
    ("degree", re.compile(r"^(\d{1,3})\.?[º°ª]\.?\s")),
    ("roman", re.compile(r"^([IVXL]{1,6})\.\s")),
    ("letter", re.compile(r"^([a-zñ])\)\s")),
    ("letter", re.compile(r"^([a-zñ])\.\s")),
)
_SENTENCE_END = re.compile(r"(?<=[.;:!?»”)])\s+(?=[A-ZÁÉÍÓÚÑ¿¡«“(0-9—–-])")
_HEADING_SHARE = 3  # the heading takes at most max_chars // 3


@dataclass(frozen=True)
class ChunkText:
    """One chunk of a unit: `text` starts with the unit heading; `part` counts from 0 to `parts - 1`;
    `apartados` lists the top-level apartado labels whose text the chunk holds ("1", "2", "a")."""

    text: str
    part: int
    parts: int
    apartados: tuple[str, ...]


def apartado_label(paragraph: str) -> tuple[str, str] | None:
    """(style, label) when `paragraph` opens an apartado (`1. ...` -> ("number", "1"))."""
    for style, pattern in _MARKERS:
        match = pattern.match(paragraph)
        if match:
            return style, match.group(1)
    return None


@dataclass
class _Group:
    label: str
    paragraphs: list[str]


def _groups(paragraphs: tuple[str, ...]) -> list[_Group]:
    """Paragraphs grouped by top-level apartado (the marker style of the first marked paragraph)."""
    top_style: str | None = None
    groups: list[_Group] = []
    for paragraph in paragraphs:
        marker = apartado_label(paragraph)
        if marker is not None and top_style is None:
            top_style = marker[0]
        if marker is not None and marker[0] == top_style:
            groups.append(_Group(marker[1], [paragraph]))
        elif groups:
            groups[-1].paragraphs.append(paragraph)
        else:
            groups.append(_Group("", [paragraph]))
    return groups


def _split_long(text: str, budget: int) -> list[str]:
    """Pieces of at most `budget` characters, cut at sentence ends (at spaces inside a huge sentence)."""
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        for part in _hard_wrap(sentence, budget):
            candidate = f"{current} {part}" if current else part
            if len(candidate) <= budget:
                current = candidate
            else:
                if current:
                    pieces.append(current)
                current = part
    if current:
        pieces.append(current)
    return pieces


def _hard_wrap(sentence: str, budget: int) -> list[str]:
    if len(sentence) <= budget:
        return [sentence]
    pieces: list[str] = []
    current = ""
    for word in sentence.split(" "):
        while len(word) > budget:  # a "word" longer than the budget (a URL, a table row)
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:budget])
            word = word[budget:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= budget:
            current = candidate
        else:
            pieces.append(current)
            current = word
    if current:
        pieces.append(current)
    return pieces


def _heading(unit: LegalUnit, max_chars: int) -> str:
    heading = " ".join(unit.title.split()) or f"{unit.norm_id} {unit.block_id}"
    limit = max(16, max_chars // _HEADING_SHARE)
    return heading if len(heading) <= limit else heading[: limit - 1].rstrip() + "…"


def chunk_unit(unit: LegalUnit, max_chars: int, min_chars: int = 0) -> list[ChunkText]:
    """Chunks of one unit, each at most `max_chars` long and starting with the unit heading."""
    if max_chars < 64:
        raise ValueError("max_chars must be at least 64")
    heading = _heading(unit, max_chars)
    paragraphs = tuple(" ".join(p.split()) for p in unit.paragraphs if p.strip())
    groups = _groups(paragraphs)
    labels_all = tuple(group.label for group in groups if group.label)
    whole = "\n".join((heading, *paragraphs))
    if len(whole) <= max_chars:
        return [ChunkText(text=whole, part=0, parts=1, apartados=labels_all)]

    budget = max_chars - len(heading) - 1  # room for the body below the heading line
    # Atoms: whole apartados when they fit, else their paragraphs, else sentence pieces.
    atoms: list[tuple[str, str]] = []
    for group in groups:
        body = "\n".join(group.paragraphs)
        if len(body) <= budget:
            atoms.append((group.label, body))
            continue
        for paragraph in group.paragraphs:
            if len(paragraph) <= budget:
                atoms.append((group.label, paragraph))
            else:
                atoms.extend((group.label, piece) for piece in _split_long(paragraph, budget))

    bodies: list[tuple[list[str], list[str]]] = []  # (texts, labels)
    for label, text in atoms:
        if bodies:
            texts, labels = bodies[-1]
            if len("\n".join((*texts, text))) <= budget:
                texts.append(text)
                if label and label not in labels:
                    labels.append(label)
                continue
        bodies.append(([text], [label] if label else []))

    _merge_small(bodies, budget, min_chars)
    parts = len(bodies)
    return [
        ChunkText(
            text="\n".join((heading, *texts)),
            part=index,
            parts=parts,
            apartados=tuple(labels),
        )
        for index, (texts, labels) in enumerate(bodies)
    ]


def _merge_small(bodies: list[tuple[list[str], list[str]]], budget: int, min_chars: int) -> None:
    """Fold parts shorter than `min_chars` into a neighbour when the merged part still fits."""
    index = 0
    while index < len(bodies) and len(bodies) > 1:
        texts, labels = bodies[index]
        size = len("\n".join(texts))
        if size >= min_chars:
            index += 1
            continue
        neighbours = [n for n in (index - 1, index + 1) if 0 <= n < len(bodies)]
        merged = False
        for neighbour in neighbours:
            other_texts, other_labels = bodies[neighbour]
            if size + 1 + len("\n".join(other_texts)) <= budget:
                if neighbour < index:
                    other_texts.extend(texts)
                    other_labels.extend(label for label in labels if label not in other_labels)
                else:
                    bodies[neighbour] = (
                        texts + other_texts,
                        labels + [label for label in other_labels if label not in labels],
                    )
                del bodies[index]
                merged = True
                break
        if not merged:
            index += 1
