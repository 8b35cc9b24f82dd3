"""Parser for laws in Markdown: legalize-es files (YAML front matter, `#` headings) and the two other
layouts found in the corpus (a `# Title` line followed by `Identificador:`/`Fuente:` lines; an HTML
comment naming the source).

Files whose articles are `#` headings are split on headings only: unmarked `Artículo N.` lines there
are quoted text of amended laws. Files without `#` article headings (the regional texts) are split on
plain lines. Markdown is reduced to plain text: escapes (`1\\.`), emphasis, links, HTML tags and the
`> <small>` modification notes become text; table rows become `cell | cell` paragraphs.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ventanilla.legal.documents import ParseError
from ventanilla.legal.plain_law import SourceLine, read_text, split_law
from ventanilla.legal.units import LegalUnit, NormInfo

__all__ = ["derive_short_name", "parse_legalize_md", "parse_markdown_law"]

_NORM_ID = re.compile(r"\b(BOE-[A-Z]-\d{4}-\d+|DOGC-f-\d{4}-\d+|[A-Z]{2,6}-[a-z]-\d{4}-\d+)\b")
_SHORT_NAME = re.compile(
    r"^(?P<type>Ley Orgánica|Ley Foral|Ley|Real Decreto Legislativo|Real Decreto-ley|Real Decreto"
    r"|Decreto Legislativo|Decreto Foral Legislativo|Decreto Foral|Decreto-ley|Decreto Ley|Decreto"
    r"|Orden(?: [A-Z]{2,6})?|Llei|Decret Legislatiu|Decret llei|Decret)\s+(?P<num>\d+/\d{4})",
)
_ARTICLE_HEADING = re.compile(r"^#{1,6}\s+Art[íi]culos?\s", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~\"'])")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_HEADER_FIELD = re.compile(r"^(Identificador|Fuente|Source|Identifier):\s*(.*)$")


def derive_short_name(title: str) -> str:
    """`Ley 58/2003, de 17 de diciembre, ...` -> `Ley 58/2003` (how questions cite a norm)."""
    match = _SHORT_NAME.match(title.strip())
    if not match:
        return ""
    return f"{match.group('type')} {match.group('num')}"


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        raise ParseError("unterminated YAML front matter")
    try:
        data = yaml.safe_load(text[4:end])
    except yaml.YAMLError as exc:
        raise ParseError(f"invalid YAML front matter ({exc})") from exc
    body = text[end + 4 :]
    return (data if isinstance(data, dict) else {}), body.split("\n", 1)[1] if "\n" in body else ""


def clean_markdown(line: str) -> str:
    """Plain text of one Markdown line (no heading marks, escapes, emphasis, links or HTML tags)."""
    text = line.strip()
    text = re.sub(r"^#{1,6}\s*", "", text)
    while text.startswith(">"):
        text = text[1:].lstrip()
    if text.startswith("|") and text.endswith("|"):
        cells = [cell.strip() for cell in text.strip("|").split("|")]
        text = " | ".join(cells) if any(cells) else ""
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub(r"\2", text)
    text = _ESCAPE.sub(r"\1", text)
    return " ".join(text.split())


def _norm_info(meta: dict[str, Any], header: dict[str, str], title: str, path: Path) -> NormInfo:
    norm_title = str(meta.get("title") or meta.get("titulo") or title).strip()
    norm_id = str(meta.get("identifier") or meta.get("identificador") or header.get("identificador") or "")
    if not norm_id:
        found = _NORM_ID.search(header.get("comment", "")) or _NORM_ID.search(path.name)
        norm_id = found.group(1) if found else path.stem
    url = str(meta.get("source") or meta.get("fuente") or meta.get("url_html") or "")
    if not url.startswith("http") and norm_id.startswith("BOE-"):
        url = f"https://www.boe.es/buscar/act.php?id={norm_id}"
    return NormInfo(
        norm_id=norm_id,
        title=norm_title,
        url=url,
        language="es",
        short_name=derive_short_name(norm_title),
    )


def parse_legalize_md(path: str | Path) -> tuple[NormInfo, list[LegalUnit]]:
    """NormInfo (from the front matter or header lines) and legal units of a Markdown law."""
    file_path = Path(path)
    text = read_text(file_path)
    if not text.strip():
        raise ParseError(f"{file_path}: empty file")
    try:
        meta, body = _front_matter(text)
    except ParseError as exc:
        raise ParseError(f"{file_path}: {exc}") from exc
    header: dict[str, str] = {}
    comment = re.match(r"^\s*<!--(.*?)-->", body, re.DOTALL)
    if comment:
        header["comment"] = comment.group(1)
        body = body[comment.end() :]
    lines = body.split("\n")
    title = ""
    first = next((index for index, line in enumerate(lines) if line.strip()), None)
    if first is not None and re.match(r"^#\s", lines[first]) and not _ARTICLE_HEADING.match(lines[first]):
        title = clean_markdown(lines[first])
        lines = lines[first + 1 :]
    # Header lines right after the title ("Identificador: ...", "Fuente: ...") are metadata.
    while lines and (not lines[0].strip() or _HEADER_FIELD.match(lines[0].strip())):
        field = _HEADER_FIELD.match(lines[0].strip())
        if field:
            header[field.group(1).lower()] = field.group(2).strip()
        lines = lines[1:]
    norm = _norm_info(meta, header, title, file_path)
    units = parse_markdown_law("\n".join(lines), norm)
    if not units:
        raise ParseError(f"{file_path}: no text found")
    return norm, units


def parse_markdown_law(body: str, norm: NormInfo) -> list[LegalUnit]:
    """Legal units of a Markdown body (front matter and title already removed)."""
    headings_mark_articles = bool(_ARTICLE_HEADING.search(body))
    source: list[SourceLine] = []
    for raw in body.split("\n"):
        stripped = raw.strip()
        if not stripped or _TABLE_SEPARATOR.match(stripped) or stripped.startswith("<!--"):
            continue
        text = clean_markdown(stripped)
        if text:
            source.append(SourceLine(text, heading=stripped.startswith("#")))
    return split_law(source, norm, plain_headings=not headings_mark_articles)
