"""Parser for BOE consolidated-text XML (API `legislacion-consolidada`).

Block ids are taken verbatim from `<bloque id=...>` because the relevance judgments use them, however
irregular they are (LO 3/2018 numbers `Artículo 10` as `a1-2`). For each block the latest `<version>` is
used. Paragraphs reproduce `legislation/blocks/*.jsonl` exactly (a `<blockquote>` editorial note is one
paragraph, a table row is one paragraph with cells joined by ` | `), minus the leading heading lines that
become `LegalUnit.title`, so `unit.paragraphs == block["paragraphs"][1:]` for articles and disposiciones
(`[2:]` for annexes with a title line, `[:]` for preambles).

Block kind is decided by content, not only by `tipo`: the BOE marks a few headings as `precepto`
(`TÍTULO X` of Ley 7/1985, a `Sección` of Ley 39/2015) and a few units as `encabezado` (the derogatoria
of Ley 7/1985, the annexes of Ley 9/2017 and RD 203/2021, which judgments cite). Derogated or
"(Sin contenido)" articles are kept: questions about them are part of the evaluation (abstention traps).
Blocks whose `fecha_caducidad` has passed are dropped (they are no longer part of the consolidated text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from lxml import etree

from ventanilla.legal.block_ids import article_number_value
from ventanilla.legal.documents import ParseError
from ventanilla.legal.units import LegalUnit, NormInfo

__all__ = ["Hierarchy", "parse_boe_xml"]

# Paragraph classes that only print a structural heading (LIBRO/TÍTULO/CAPÍTULO/Sección, the wrapper
# line "TEXTO REFUNDIDO ..." / "REGLAMENTO DE ..." printed with class `anexo` or `libro`).
_HEADING_CLASSES = {
    "libro",
    "anexo",
    "libro_num",
    "libro_tit",
    "titulo",
    "titulo_num",
    "titulo_tit",
    "capitulo_num",
    "capitulo_tit",
    "seccion",
    "subseccion",
}
_LEVEL_BY_CLASS = {
    "libro": 0,
    "anexo": 0,
    "libro_num": 1,
    "libro_tit": 1,
    "titulo": 2,
    "titulo_num": 2,
    "titulo_tit": 2,
    "capitulo_num": 3,
    "capitulo_tit": 3,
    "seccion": 4,
    "subseccion": 5,
}
_LEVEL_BY_WORD = {"libro": 1, "título": 2, "titulo": 2, "capítulo": 3, "capitulo": 3, "sección": 4}
_NOTE = "nota"
_SKIPPED_TIPOS = {"firma", "nota_inicial"}

_ARTICLE = re.compile(r"^Art[íi]culos?\s+(?P<num>.+?)\s*(?:\.(?:\s|$)|$)", re.IGNORECASE)
_DISPOSITION = re.compile(
    r"^Disposici[óo]n\s+(?P<kind>adicional|transitoria|derogatoria|final)\b\s*(?P<ord>[^.]*)",
    re.IGNORECASE,
)
_ANNEX = re.compile(r"^ANEXO\b\s*(?P<num>[^.\s]*)", re.IGNORECASE)
_KIND_BY_WORD = {
    "adicional": "additional",
    "transitoria": "transitional",
    "derogatoria": "derogatory",
    "final": "final",
}


@dataclass
class Hierarchy:
    """Open structural headings by level (0 wrapper, 1 libro, 2 título, 3 capítulo, 4 sección, 5 subsección).

    A heading closes every deeper level; disposiciones and annexes sit outside títulos, so they reset
    everything below the wrapper (a Reglamento approved by a Real Decreto keeps its wrapper).
    """

    levels: dict[int, str]

    def open(self, level: int, label: str) -> None:
        for deeper in [key for key in self.levels if key >= level]:
            del self.levels[deeper]
        self.levels[level] = label

    def reset_below_wrapper(self) -> None:
        for deeper in [key for key in self.levels if key >= 1]:
            del self.levels[deeper]

    def snapshot(self) -> tuple[str, ...]:
        return tuple(self.levels[key] for key in sorted(self.levels))


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _items(version: etree._Element) -> list[tuple[str, str]]:
    """(class, text) per paragraph, in document order, the way `blocks/*.jsonl` splits them."""
    items: list[tuple[str, str]] = []

    def walk(parent: etree._Element) -> None:
        for child in parent:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == "p":
                text = _text(child)
                if text:
                    items.append((child.get("class") or "", text))
            elif tag == "blockquote":
                text = _text(child)
                if text:
                    items.append((_NOTE, text))
            elif tag == "tr":
                cells = [_text(cell) for cell in child if cell.tag in ("td", "th")]
                if any(cells):
                    items.append(("tabla", " | ".join(cells)))
            else:
                walk(child)

    walk(version)
    return items


def _latest_version(block: etree._Element) -> etree._Element | None:
    versions = block.findall("version")
    if not versions:
        return None
    # Versions come in chronological order; the max() keeps the last one among equal dates.
    best_index = max(
        range(len(versions)),
        key=lambda index: (versions[index].get("fecha_vigencia") or "", index),
    )
    return versions[best_index]


def _heading_level(items: list[tuple[str, str]], block_title: str) -> int:
    for cls, _text_value in items:
        if cls in _LEVEL_BY_CLASS:
            return _LEVEL_BY_CLASS[cls]
    first_word = block_title.split(" ")[0].lower() if block_title else ""
    if first_word.startswith("subsecci"):
        return 5
    return _LEVEL_BY_WORD.get(first_word, 2)


def _heading_label(texts: list[str]) -> str:
    label = ""
    for text in texts:
        if not label:
            label = text
        elif label.endswith((".", ":")):
            label = f"{label} {text}"
        else:
            label = f"{label}. {text}"
    return label


def _classify_unit(title: str, block_title: str) -> tuple[str, str]:
    """(kind, number) from the printed heading (or the block's `titulo` attribute)."""
    for candidate in (title, block_title):
        if not candidate:
            continue
        disposition = _DISPOSITION.match(candidate)
        if disposition:
            ordinal = re.sub(r"\s*\[[^\]]*\]", "", disposition.group("ord")).strip()
            return _KIND_BY_WORD[disposition.group("kind").lower()], ordinal
        article = _ARTICLE.match(candidate)
        if article:
            return "article", article_number_value(article.group("num"))
        annex = _ANNEX.match(candidate)
        if annex:
            return "annex", annex.group("num")
    return "article", ""


def parse_boe_xml(path: str | Path, norm: NormInfo) -> list[LegalUnit]:
    """Legal units (preamble, articles, disposiciones, annexes) of one BOE consolidated XML file."""
    file_path = Path(path)
    try:
        tree = etree.parse(str(file_path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ParseError(f"{file_path}: not readable BOE XML ({exc})") from exc
    root = tree.getroot()
    blocks = list(root.iter("bloque"))
    if not blocks:
        raise ParseError(f"{file_path}: no <bloque> elements (is this a BOE consolidated text?)")

    today = date.today().strftime("%Y%m%d")
    hierarchy = Hierarchy(levels={})
    units: list[LegalUnit] = []
    for block in blocks:
        block_id = block.get("id") or ""
        tipo = block.get("tipo") or ""
        block_title = block.get("titulo") or ""
        if tipo in _SKIPPED_TIPOS or not block_id:
            continue
        expiry = block.get("fecha_caducidad")
        if expiry and expiry <= today:
            continue  # an expired block (RD 887/2006 arts. 35-41): replaced by "Artículos 35 a 41"
        version = _latest_version(block)
        if version is None:
            continue
        items = _items(version)
        if not items:
            continue
        if tipo == "preambulo":
            units.append(
                LegalUnit(
                    norm_id=norm.norm_id,
                    block_id=block_id,
                    kind="preamble",
                    number="",
                    title="Preámbulo",
                    paragraphs=tuple(text for _cls, text in items),
                )
            )
            continue
        content = [item for item in items if item[0] not in _HEADING_CLASSES and item[0] != _NOTE]
        if not content:
            headings = [text for cls, text in items if cls in _HEADING_CLASSES]
            if headings:
                hierarchy.open(_heading_level(items, block_title), _heading_label(headings))
            continue
        units.append(_unit(norm, block_id, block_title, items, hierarchy))
    if not units:
        raise ParseError(f"{file_path}: BOE XML without any article, disposición or preamble")
    return units


def _unit(
    norm: NormInfo, block_id: str, block_title: str, items: list[tuple[str, str]], hierarchy: Hierarchy
) -> LegalUnit:
    heading: list[str] = []
    rest = items
    if items[0][0] == "articulo":
        heading, rest = [items[0][1]], items[1:]
    elif items[0][0] == "anexo_num":
        heading, rest = [items[0][1]], items[1:]
        if rest and rest[0][0] == "anexo_tit":
            heading.append(rest[0][1])
            rest = rest[1:]
    title = _heading_label(heading) if heading else block_title
    kind, number = _classify_unit(title, block_title)
    if kind == "article":
        levels = hierarchy.snapshot()
    else:
        hierarchy.reset_below_wrapper()
        levels = hierarchy.snapshot()
    return LegalUnit(
        norm_id=norm.norm_id,
        block_id=block_id,
        kind=kind,
        number=number,
        title=title,
        hierarchy=levels,
        paragraphs=tuple(text for _cls, text in rest),
    )
