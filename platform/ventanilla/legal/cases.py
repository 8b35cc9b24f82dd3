"""Case documents (binding tax rulings, TEAC resolutions, AEAT manual pages, Constitutional Court
decisions, clinical cases) split into sections at the document's own headings.

One document is one "norm": `norm_id` is the document id made safe for `<norm_id>__<block_id>` keys
(`ECLI:ES:TC:2025:132` -> `ECLI-ES-TC-2025-132`; the original stays in the unit titles). Sections get
block ids `s1`, `s2`... Heading styles recognised, tried in this order:

* Constitutional Court: `I. Antecedentes`, `II. Fundamentos jurídicos`, `Fallo`, `Votos particulares`,
  `1. Voto particular que formula ...`;
* TEAC resolutions printed on one line: `ANTECEDENTES DE HECHO`, `FUNDAMENTOS DE DERECHO`, and the
  ruling from the last `Por lo expuesto,`;
* DGT binding rulings: capitalised lines ending with a colon (`CUESTION PLANTEADA:`);
* clinical cases: capitalised lines (`ANAMNESIS`, `JUICIO DIAGNÓSTICO`).

AEAT manual pages are already one section each (their short sub-headings would make tiny units): a
document without recognised headings is one unit and the chunker splits it. Text before the first
heading is its own section ("Encabezamiento") unless it is short, then it opens the first section.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ventanilla.legal.block_ids import ordinal_value
from ventanilla.legal.documents import ParseError
from ventanilla.legal.plain_law import read_text
from ventanilla.legal.units import LegalUnit

__all__ = ["parse_case_text", "safe_norm_id"]

_HEADER_FIELD = re.compile(r"^(?P<key>[A-ZÁÉÍÓÚÑ][A-Za-zÁÉÍÓÚÑáéíóúñ /]{1,30}):\s*(?P<value>.*)$")
_DROPPED_FIELDS = {"url", "fecha", "fecha de salida", "ecli", "órgano", "organo", "tipo", "boe", "fuente"}
_HEADER_KEYS = _DROPPED_FIELDS | {"normativa", "diari/butlletí", "data"}
_TC_HEADING = re.compile(
    r"^(?:(?:[IVX]+)\.\s+)?(?:Antecedentes|Fundamentos jur[íi]dicos|Fallo|Votos? particular(?:es)?)\s*$"
    r"|^\d+\.\s+Voto particular que formula\b.*$"
)
_COLON_HEADING = re.compile(r"^[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ ]{3,60}:$")
_CAPS_HEADING = re.compile(r"^[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ ,/()-]{2,70}[A-ZÁÉÍÓÚÑ)]:?$")
_MARKER_ONLY = re.compile(r"^(?:\d{1,3}\.|[a-z]\)|[IVX]+\.|[ÚU]nico\.|[A-ZÁÉÍÓÚ][a-záéíóú]+\.-)$")
_INLINE_ORDINAL = re.compile(r"\s(?=[A-ZÁÉÍÓÚ][a-záéíóú]+(?:\s[a-záéíóú]+)?\.-\s)")
_SHORT_INTRO = 300


def safe_norm_id(document_id: str) -> str:
    """A document id fit for `<norm_id>__<block_id>` keys: `ECLI:ES:TC:2025:132` -> `ECLI-ES-TC-2025-132`."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", document_id.replace(":", "-")).strip("-")


def _lines(text: str) -> list[str]:
    """Non-empty lines, with a line holding only an apartado marker ("1.", "Único.") joined to the next."""
    lines: list[str] = []
    pending = ""
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            continue
        if _MARKER_ONLY.match(line):
            pending = f"{pending} {line}".strip()
            continue
        lines.append(f"{pending} {line}".strip() if pending else line)
        pending = ""
    if pending:
        lines.append(pending)
    return lines


def _is_header_field(line: str) -> bool:
    field = _HEADER_FIELD.match(line)
    return field is not None and field.group("key").lower() in _HEADER_KEYS


def _split_header(lines: list[str]) -> tuple[list[str], list[str]]:
    """(intro paragraphs worth keeping, body lines) after removing the title line and metadata fields."""
    header_end = 0
    fields = 0
    for index, line in enumerate(lines[:8]):
        if _is_header_field(line):
            fields += 1
            header_end = index + 1
        elif index == 0 and fields == 0:
            continue
        else:
            break
    if fields == 0:
        return [], lines
    kept = []
    for line in lines[:header_end]:
        field = _HEADER_FIELD.match(line)
        if field and field.group("key").lower() not in _DROPPED_FIELDS:
            kept.append(line)
    return kept, lines[header_end:]


def _sections_by_lines(lines: list[str], is_heading: Callable[[str], bool]) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in lines:
        if is_heading(line):
            sections.append((line, []))
        else:
            sections[-1][1].append(line)
    return sections


def _split_inline_paragraph(text: str) -> list[str]:
    """Break a one-line resolution at its numbered points (`Primero.-`, `Segundo.-`)."""
    pieces: list[str] = []
    start = 0
    for match in _INLINE_ORDINAL.finditer(text):
        word = text[match.end() :].split(".-", 1)[0]
        if ordinal_value(word) is None:
            continue
        pieces.append(text[start : match.start()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    return [piece for piece in pieces if piece]


def _inline_sections(lines: list[str]) -> list[tuple[str, list[str]]] | None:
    """TEAC resolutions: the whole text on one line with inline section names."""
    body = " ".join(lines)
    first = body.find("ANTECEDENTES DE HECHO")
    second = body.find("FUNDAMENTOS DE DERECHO", first + 1)
    if first < 0 or second < 0:
        return None
    ruling = body.rfind("Por lo expuesto,")
    cuts = [(0, ""), (first, "Antecedentes de hecho"), (second, "Fundamentos de derecho")]
    if ruling > second:
        cuts.append((ruling, "Fallo"))
    sections: list[tuple[str, list[str]]] = []
    for index, (start, name) in enumerate(cuts):
        end = cuts[index + 1][0] if index + 1 < len(cuts) else len(body)
        chunk = body[start:end]
        for label in ("ANTECEDENTES DE HECHO", "FUNDAMENTOS DE DERECHO"):
            if chunk.startswith(label):
                chunk = chunk[len(label) :]
        sections.append((name, _split_inline_paragraph(chunk.strip())))
    return sections


def _detect_sections(lines: list[str], doc_type: str) -> list[tuple[str, list[str]]] | None:
    """Sections by the first heading style that finds at least two headings (see module docstring)."""
    sections = _sections_by_lines(lines, lambda line: bool(_TC_HEADING.match(line)))
    if len(sections) >= 3:
        return sections
    inline = _inline_sections(lines)
    if inline is not None:
        return inline
    sections = _sections_by_lines(lines, lambda line: bool(_COLON_HEADING.match(line)))
    if len(sections) >= 3:
        return sections
    if "clínic" in doc_type or "clinic" in doc_type:
        sections = _sections_by_lines(lines, lambda line: bool(_CAPS_HEADING.match(line)))
        if len(sections) >= 3:
            return sections
    return None


def parse_case_text(path: str | Path, meta: Mapping[str, Any], collection_id: str) -> list[LegalUnit]:
    """Section units of one case document; `meta` is its line in the collection's `metadata.jsonl`."""
    file_path = Path(path)
    text = read_text(file_path)
    if not text.strip():
        raise ParseError(f"{file_path}: empty file")
    document_id = str(meta.get("id") or f"{collection_id}-{file_path.stem}")
    norm_id = safe_norm_id(document_id)
    label = " ".join(str(meta.get("title") or file_path.stem).split())
    ecli = str(meta.get("ecli") or (document_id if document_id.startswith("ECLI:") else ""))
    if ecli and ecli not in label:
        label = f"{label} ({ecli})"
    body_name = meta.get("court") or meta.get("body")
    hierarchy = (str(body_name),) if body_name else ()
    doc_type = str(meta.get("doc_type") or "").lower()

    intro, lines = _split_header(_lines(text))
    if not lines and not intro:
        raise ParseError(f"{file_path}: no text after the header")
    sections = _detect_sections(lines, doc_type) or [("", lines)]
    head_name, head_lines = sections[0]
    head_lines = intro + head_lines
    if len(sections) > 1 and not head_name and len(" ".join(head_lines)) < _SHORT_INTRO:
        first_name, first_lines = sections[1]
        sections = [(first_name, head_lines + first_lines), *sections[2:]]
    else:
        sections = [(head_name, head_lines), *sections[1:]]

    units: list[LegalUnit] = []
    for name, paragraphs in sections:
        if not paragraphs:
            continue  # a heading with nothing under it ("Votos particulares" before each vote)
        number = len(units) + 1
        if len(sections) == 1:
            title = label
        else:
            heading = name.rstrip(":").strip() or "Encabezamiento"
            title = f"{label} — {heading}"
        units.append(
            LegalUnit(
                norm_id=norm_id,
                block_id=f"s{number}",
                kind="section",
                number=str(number),
                title=title,
                hierarchy=hierarchy,
                paragraphs=tuple(paragraphs),
            )
        )
    if not units:
        raise ParseError(f"{file_path}: no text found")
    return units
