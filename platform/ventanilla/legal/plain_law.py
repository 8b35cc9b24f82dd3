"""Structure of a law written as text: the article splitter shared by the Markdown, plain-text and
generic-document parsers, and the parser for plain-text laws (`legislation/catalan/*.txt`).

The splitter reads a sequence of lines (paragraphs) and recognises, in Spanish and Catalan:

* structural headings (LIBRO/Llibre, TÍTULO/Títol, CAPÍTULO/Capítol, SECCIÓN/Secció, Subsección), whose
  name may follow on the next line; they form `LegalUnit.hierarchy`;
* unit headings: `Artículo 21. ...`, `Artículo 21 bis`, `Artículo uno`, `Article 3r`, `Artículo 111-8`,
  `Disposición adicional primera`, `Disposició final segona`, `ANEXO II`;
* everything before the first unit or structural heading is the preamble.

Headings are recognised conservatively: a plain line counts only when the number is followed by the
end of the line, punctuation or (inline texts) a capitalised title; `Artículo 2 (reducción por
parentesco).` inside an article and quoted amendments (`«Artículo 5. ...`) stay body text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ventanilla.legal.block_ids import (
    PREAMBLE_ID,
    IdAllocator,
    annex_block_id,
    article_block_id,
    article_number_value,
    disposition_block_id,
    disposition_kind,
    is_spanish_cardinal_word,
    ordinal_value,
    roman_to_int,
)
from ventanilla.legal.documents import ParseError
from ventanilla.legal.units import LegalUnit, NormInfo

__all__ = ["SourceLine", "parse_plain_law", "read_text", "split_inline_units", "split_law"]

_HEADING_LINE_MAX = 300  # a plain line longer than this is body text, not a heading
_NAME_LINE_MAX = 250  # the name of a TÍTULO/CAPÍTULO printed on the line after its number

_STRUCT_WORDS = {
    "libro": 1,
    "llibre": 1,
    "título": 2,
    "titulo": 2,
    "títol": 2,
    "titol": 2,
    "capítulo": 3,
    "capitulo": 3,
    "capítol": 3,
    "capitol": 3,
    "sección": 4,
    "seccion": 4,
    "secció": 4,
    "seccio": 4,
    "subsección": 5,
    "subseccion": 5,
    "subsecció": 5,
    "subseccio": 5,
}
_STRUCT = re.compile(
    r"^(?P<kw>(?:LIBRO|Libro|LLIBRE|Llibre|T[ÍI]TULO|T[íi]tulo|T[ÍI]TOL|T[íi]tol|CAP[ÍI]TULO|Cap[íi]tulo"
    r"|CAP[ÍI]TOL|Cap[íi]tol|SUBSECCI[ÓO]N|Subsecci[óo]n?|SECCI[ÓO]N?|Secci[óo]n?))"
    r"\s+(?P<num>[IVXLCDM]+\b|\d+(?:\s?\.?\s?[ªºa]\b\.?|\s?\.?\s?[ªº])?|[A-Za-zÁÉÍÓÚÀÈÒÜÏÇÑáéíóúàèòüïçñ-]+)"
    r"(?P<rest>.*)$"
)
_STRUCT_WORD_NUMBERS = {"preliminar", "unico", "unica", "unic"}

_ARTICLE_NUMBER = (
    r"\d+(?:-\d+)?(?![.,]\d)(?:\s?\.?\s?[ºª°])?(?:\s?[rnt]\b)?"
    r"(?:\s+(?:bis|ter|quater|qu[áa]ter|quinquies|sexies|septies|octies|nonies|novies|decies)\b)?"
    r"(?:\s+[a-z]\))?"
    r"(?:\s+a\s+\d+\b)?"
)
_ARTICLE = re.compile(
    r"^(?P<kw>Art[íi]culos?|ART[ÍI]CULOS?|Articles?|ARTICLES?|Art\.)\s+"
    rf"(?P<num>{_ARTICLE_NUMBER}|[ÚU]NICO\b|[úu]nico\b|[úu]nic\b|(?P<words>[A-Za-zÁÉÍÓÚáéíóúü]+(?:\s+[A-Za-zÁÉÍÓÚáéíóúü]+)*))"
    r"(?P<rest>.*)$"
)
_DISPOSITION = re.compile(
    r"^(?:Disposici[óo]n|DISPOSICI[ÓO]N|Disposici[óo]|DISPOSICI[ÓO])\s+"
    r"(?P<kind>adicional|ADICIONAL|transitoria|TRANSITORIA|derogatoria|DEROGATORIA|final|FINAL"
    r"|addicional|ADDICIONAL|transit[òo]ria|TRANSIT[ÒO]RIA|derogat[òo]ria|DEROGAT[ÒO]RIA)\b(?P<rest>.*)$"
)
_DISPOSITION_GROUP = re.compile(
    r"^(?:Disposiciones|DISPOSICIONES|Disposicions|DISPOSICIONS)\s+(?:adicionales|transitorias|derogatorias"
    r"|finales|addicionals|transit[òo]ries|derogat[òo]ries|finals|ADICIONALES|TRANSITORIAS|DEROGATORIAS"
    r"|FINALES)(?:\s+y\s+\w+)?\s*\.?$"
)
_ANNEX = re.compile(
    r"^(?P<kw>ANEXO|Anexo|ANNEX|Annex)(?:\s+(?P<num>[IVXLC]+\b|\d+\b|[ÚU]NICO\b|[úu]nico\b))?(?P<rest>.*)$"
)
_WRAPPER = re.compile(r"^(?:TEXTO REFUNDIDO|REGLAMENTO|ESTATUTO|ESTATUTOS)\b[^a-záéíóúñ]*$")
# The signature that closes a law ("Por tanto, Mando a todos los españoles...", "Dado en Madrid, ...")
# is not a unit: the BOE keeps it apart (`tipo="firma"`). It runs until the next heading.
_SIGNATURE = re.compile(
    r"^(?:Por tanto,$|Por tanto, (?:mando|ordeno) "
    r"|Dad[oa] en [^.]{3,60}, (?:a|el) \d"
    r"|Palacio de (?:la|las|los|el) [^.]{3,60}, (?:a )?\d)",
    re.IGNORECASE,
)
_QUOTES = ("«", "“", '"', "'", "‘", "»", "[")
# Words that open the body of an inline article ("Article 2 Consell de Direcció El Consell ...").
_SENTENCE_OPENERS = {
    "a",
    "al",
    "als",
    "amb",
    "aquest",
    "aquesta",
    "aquests",
    "aquestes",
    "cal",
    "com",
    "correspon",
    "corresponen",
    "cuando",
    "de",
    "del",
    "dels",
    "dins",
    "el",
    "els",
    "en",
    "es",
    "esta",
    "este",
    "estos",
    "estas",
    "ha",
    "han",
    "hi",
    "la",
    "las",
    "les",
    "lo",
    "los",
    "mitjançant",
    "no",
    "per",
    "pel",
    "pels",
    "para",
    "por",
    "queda",
    "queden",
    "quedan",
    "se",
    "segons",
    "sens",
    "si",
    "sin",
    "són",
    "son",
    "totes",
    "tots",
    "un",
    "una",
    "és",
    "únicament",
    "només",
    "solo",
    "solamente",
    "quan",
}
_APARTADO_IN_LINE = re.compile(r"(?:^|\s)(?:—\s?\d+|\d{1,2}\.(?!\d)|\d{1,2}\)|[a-z]\))\s")


@dataclass(frozen=True)
class SourceLine:
    """One paragraph of the source; `heading` when the format marks it as one (a Markdown `#` line)."""

    text: str
    heading: bool = False


@dataclass(frozen=True)
class _Struct:
    level: int
    label: str
    named: bool


@dataclass(frozen=True)
class _Start:
    kind: str
    number: str
    title: str
    base_id: str
    body: str  # text printed on the heading line after the title (inline sources)


@dataclass
class _Builder:
    kind: str
    number: str
    title: str
    block_id: str
    hierarchy: tuple[str, ...]
    paragraphs: list[str] = field(default_factory=list)


def read_text(path: str | Path) -> str:
    """UTF-8 text of a source file; `ParseError` for unreadable or binary input."""
    file_path = Path(path)
    try:
        data = file_path.read_bytes()
    except OSError as exc:
        raise ParseError(f"{file_path}: cannot read ({exc})") from exc
    if b"\x00" in data[:4096]:
        raise ParseError(f"{file_path}: binary data where text was expected")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError(f"{file_path}: not UTF-8 text ({exc})") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\xad", "")


def _is_quoted(text: str) -> bool:
    return text.startswith(_QUOTES)


def _rest_ok(rest: str, heading: bool, inline: bool) -> bool:
    """Whether what follows a heading's number lets the line be a heading."""
    if heading or not rest.strip():
        return True
    if re.match(r"^\s*(?:\.|:|-|–|—|\.-|\.–)", rest):
        return True
    return inline and bool(re.match(r"^\s+[A-ZÁÉÍÓÚÀÈÒÇÑ«]", rest))


def _strip_separator(rest: str) -> str:
    return re.sub(r"^\s*(?:\.-|\.–|\.|:|-|–|—)?\s*", "", rest)


def _split_inline_title(rest: str) -> tuple[str, str] | None:
    """(title, body) for a heading printed on the same line as its text, None when no boundary is found.

    Used only where the source lost its line breaks: the title ends at the first apartado marker or
    at the first capitalised word that typically opens a sentence ("El", "La", "Les", "Correspon").
    """
    text = _strip_separator(rest)
    if not text:
        return None
    marker = _APARTADO_IN_LINE.search(text)
    words = text.split(" ")
    position = 0
    for index, word in enumerate(words[:30]):
        if marker is not None and position >= marker.start():
            break
        bare = re.split(r"[’']", word, maxsplit=1)[0]
        if word[:1].isupper() and (bare.lower() in _SENTENCE_OPENERS or re.match(r"^[LDS][’']", word)):
            return " ".join(words[:index]).strip(), " ".join(words[index:]).strip()
        position += len(word) + 1
    if marker is not None and marker.start() <= 250:
        return text[: marker.start()].strip(), text[marker.start() :].strip()
    return None


def _title_and_body(head: str, rest: str, heading: bool, inline: bool) -> tuple[str, str]:
    """Split a heading line into the printed title and any body text sharing the line."""
    line = " ".join((head + rest).split())
    if heading or (not inline and len(line) <= _HEADING_LINE_MAX):
        return line, ""
    if inline:
        split = _split_inline_title(rest)
        separator = re.match(r"^\s*(\.-|\.–|\.|:|-|–)", rest)
        head = head + (separator.group(1) if separator else "")
        if split is None:
            return (line, "") if len(line) <= 160 else (head, _strip_separator(rest))
        name, body = split
        return " ".join(f"{head} {name}".split()), body
    # A long plain line "Artículo 1. Objeto. La presente ley ...": the title is its first sentence.
    punctuation = re.match(r"^\s*(\.-|\.–|\.|:|-|–)\s*", rest)
    remainder = rest[punctuation.end() :] if punctuation else rest
    mark = punctuation.group(1) if punctuation else "."
    sentence_end = re.search(r"\.\s+(?=[A-ZÁÉÍÓÚ¿«0-9])", remainder)
    if sentence_end and sentence_end.start() < 200:
        title = f"{head}{mark} {remainder[: sentence_end.start() + 1]}"
        return " ".join(title.split()), remainder[sentence_end.end() :].strip()
    return f"{head}{mark}", remainder.strip()


def _struct(text: str, heading: bool) -> _Struct | None:
    match = _STRUCT.match(text)
    if not match:
        return None
    if not heading and len(text) > _HEADING_LINE_MAX:
        return None
    keyword = match.group("kw").lower()
    level = _STRUCT_WORDS.get(keyword, 2)
    number = match.group("num")
    rest = match.group("rest")
    if not re.match(r"^(?:[IVXLCDM]+|\d.*)$", number):
        folded = number.lower()
        if ordinal_value(folded) is None and folded.replace("ú", "u").replace("í", "i") not in (
            _STRUCT_WORD_NUMBERS
        ):
            return None
    elif re.match(r"^[IVXLCDM]+$", number) and roman_to_int(number) is None:
        return None
    if not _rest_ok(rest, heading, inline=True):
        return None
    if rest.strip().startswith("("):
        return None
    name = _strip_separator(rest)
    return _Struct(level=level, label=" ".join(text.split()), named=bool(name))


def _article(text: str, heading: bool, inline: bool) -> _Start | None:
    match = _ARTICLE.match(text)
    if not match:
        return None
    number = match.group("num")
    rest = match.group("rest")
    if match.group("words") is not None:
        words = number.split()
        taken: list[str] = []
        for word in words:
            if is_spanish_cardinal_word(word) and not (not taken and word.lower() == "y"):
                taken.append(word)
            else:
                break
        if taken and taken[-1].lower() == "y":
            taken.pop()
        if not taken:
            ordinal = words[0]
            if ordinal_value(ordinal) is None or roman_to_int(ordinal) is not None:
                return None
            taken = [ordinal]
        leftover = words[len(taken) :]
        rest = (" " + " ".join(leftover) if leftover else "") + rest
        number = " ".join(taken)
    if not _rest_ok(rest, heading, inline):
        return None
    value = article_number_value(number)
    if match.group("words") is not None and not value.isdigit():
        ordinal = ordinal_value(number)
        value = str(ordinal) if ordinal is not None else value
    keyword = match.group("kw")
    head = f"{keyword} {number}".strip()
    title, body = _title_and_body(head, rest, heading, inline)
    return _Start("article", value, title, article_block_id(number), body)


def _disposition(text: str, heading: bool, inline: bool) -> _Start | None:
    match = _DISPOSITION.match(text)
    if not match:
        return None
    kind = disposition_kind(match.group("kind").lower())
    if kind is None:
        return None
    rest = match.group("rest")
    ordinal = ""
    for count in (3, 2, 1):
        words = re.match(rf"^(?:\s+[^\s.:,;()\[\]]+){{{count}}}", rest)
        if words and ordinal_value(words.group(0)) is not None:
            ordinal = words.group(0).strip()
            rest = rest[words.end() :]
            break
    if not _rest_ok(rest, heading, inline):
        return None
    head = text[: len(text) - len(rest)]
    title, body = _title_and_body(head, rest, heading, inline)
    return _Start(kind, ordinal, title, disposition_block_id(kind, ordinal), body)


def _annex(text: str, heading: bool, inline: bool) -> _Start | None:
    match = _ANNEX.match(text)
    if not match or len(text) > 200:
        return None
    rest = match.group("rest")
    if not _rest_ok(rest, heading, inline):
        return None
    number = match.group("num") or ""
    return _Start("annex", number, " ".join(text.split()), annex_block_id(number), "")


def _classify(line: SourceLine, plain_headings: bool, inline: bool) -> _Struct | _Start | str | None:
    """A structural heading, a unit start, "group" (plural disposiciones heading), "wrapper" or None."""
    text = line.text
    if _is_quoted(text):
        return None
    trusted = line.heading or plain_headings
    if trusted:
        if _DISPOSITION_GROUP.match(text):
            return "group"
        for detector in (_article, _disposition):
            found = detector(text, line.heading, inline)
            if found is not None:
                return found
        struct = _struct(text, line.heading)
        if struct is not None:
            return struct
    annex = _annex(text, line.heading, inline)
    if annex is not None and (trusted or text.isupper()):
        return annex
    if _WRAPPER.match(text) and len(text) <= _HEADING_LINE_MAX:
        return "wrapper"
    return None


def split_law(
    lines: Iterable[SourceLine],
    norm: NormInfo,
    *,
    plain_headings: bool = True,
    inline: bool = False,
) -> list[LegalUnit]:
    """Legal units of a law given as lines.

    `plain_headings=False` (Markdown whose articles are `#` headings) ignores unmarked lines that look
    like headings: they are quoted text of amended laws. `inline=True` allows a heading to share its
    line with its text (sources that lost their line breaks).
    """
    levels: dict[int, str] = {}
    ids = IdAllocator()
    units: list[LegalUnit] = []
    preamble: list[str] = []
    intro: list[str] = []
    current: _Builder | None = None
    started = False
    pending_name: int | None = None  # level whose name may follow on the next line
    pending_annex_name = False
    quoted_heading = False
    in_signature = False
    quote_depth = 0  # inside «...» spanning paragraphs (amended text): no headings there

    def flush() -> None:
        nonlocal current
        if current is not None:
            units.append(
                LegalUnit(
                    norm_id=norm.norm_id,
                    block_id=current.block_id,
                    kind=current.kind,
                    number=current.number,
                    title=current.title,
                    hierarchy=current.hierarchy,
                    paragraphs=tuple(current.paragraphs),
                )
            )
            current = None

    def add_text(text: str) -> None:
        if current is not None:
            current.paragraphs.append(text)
        elif started:
            # Text between a structural heading and the next unit (a note on a CAPÍTULO): it opens
            # the next unit, so no text is lost and none is pinned on the unit before the heading.
            intro.append(text)
        else:
            preamble.append(text)

    for line in lines:
        text = " ".join(line.text.split())
        if not text:
            continue
        line = SourceLine(text, line.heading)
        if pending_annex_name:
            pending_annex_name = False
            if (
                current is not None
                and len(text) <= _NAME_LINE_MAX
                and not text.endswith(":")
                and _classify(line, plain_headings, inline) is None
            ):
                current.title = f"{current.title}. {text}"
                continue
        if pending_name is not None:
            level = pending_name
            pending_name = None
            if (
                len(text) <= _NAME_LINE_MAX
                and (line.heading or plain_headings)
                and _classify(line, plain_headings, inline) is None
            ):
                if quoted_heading:
                    add_text(text)
                else:
                    label = levels.get(level, "")
                    levels[level] = f"{label} {text}" if label.endswith((".", ":")) else f"{label}. {text}"
                continue
        quoted_heading = False
        depth_before = quote_depth
        quote_depth = max(0, quote_depth + text.count("«") - text.count("»"))
        if depth_before > 0 and not line.heading:
            add_text(text)
            continue
        found = _classify(line, plain_headings, inline)
        if found is not None:
            quote_depth = 0
        if (
            found is None
            and current is not None
            and current.kind != "preamble"
            and (in_signature or (len(text) <= 250 and _SIGNATURE.match(text)))
        ):
            in_signature = True
            continue
        in_signature = False
        if found is None:
            if line.heading and _is_quoted(text) and _STRUCT.match(text.lstrip("«“\"'")):
                quoted_heading = True
                pending_name = 0
            add_text(text)
            continue
        started = True
        if isinstance(found, _Struct):
            flush()
            for deeper in [key for key in levels if key >= found.level]:
                del levels[deeper]
            levels[found.level] = found.label
            pending_name = None if found.named else found.level
        elif found == "wrapper":
            flush()
            levels.clear()
            levels[0] = text
        elif found == "group":
            flush()
            for deeper in [key for key in levels if key >= 1]:
                del levels[deeper]
        elif isinstance(found, _Start):
            flush()
            if found.kind != "article":
                for deeper in [key for key in levels if key >= 1]:
                    del levels[deeper]
            hierarchy = tuple(levels[key] for key in sorted(levels))
            current = _Builder(
                kind=found.kind,
                number=found.number,
                title=found.title,
                block_id=ids.allocate(found.base_id),
                hierarchy=hierarchy,
            )
            current.paragraphs.extend(intro)
            intro.clear()
            if found.body:
                current.paragraphs.append(found.body)
            pending_annex_name = (
                found.kind == "annex"
                and not found.body
                and bool(re.fullmatch(r"(?:ANEXO|Anexo|ANNEX|Annex)(?:\s+\S+)?\.?", found.title))
            )
    if intro and current is None and units:
        units[-1] = replace(units[-1], paragraphs=(*units[-1].paragraphs, *intro))
    elif current is not None:
        current.paragraphs.extend(intro)
    flush()
    if preamble:
        units.insert(
            0,
            LegalUnit(
                norm_id=norm.norm_id,
                block_id=ids.allocate(PREAMBLE_ID),
                kind="preamble",
                number="",
                title="Preámbulo" if norm.language != "ca" else "Preàmbul",
                paragraphs=tuple(preamble),
            ),
        )
    return units


# --- plain-text laws -------------------------------------------------------------------------------

_HEADER_FIELD = re.compile(
    r"^(?:Diari/Butlletí|Diari|Butlletí|Bolet[íi]n|Data|Fecha|URL|Font|Fuente):", re.IGNORECASE
)
_NBSP_BREAK = re.compile(r"\s*\u00a0\s*(?:\u00a0\s*)*")
_INLINE_HEADING = re.compile(
    r"(?:(?<=[.:;»\]”\"!?)])|(?<=[A-ZÀÈÉÍÒÓÚ]{4}))\s+(?=(?:Art[íi]culo|Article)\s+\d+[a-z]?"
    r"(?:\s+(?:bis|ter|quater))?(?:\s+[A-ZÁÉÍÓÚÀÈÒÇ]|\.\s)"
    r"|Disposici[óo]n?\s+(?:addicional|transit[òo]ria|derogat[òo]ria|final|adicional|derogatoria)\b"
    r"|Disposicions\s+(?:addicionals|transit[òo]ries|finals|derogat[òo]ries)\b"
    r"|Cap[íi]tol\s+[IVXL]+\b|CAP[ÍI]TOL\s+[IVXL]+\b|T[íi]tol\s+[IVXL]+\b|ANNEX\b|Annex\s+\d)"
)


def split_inline_units(paragraph: str) -> list[str]:
    """Break a paragraph that holds several articles (a source that lost its line breaks) before each
    article / disposición / capítol heading that follows the end of a sentence."""
    parts: list[str] = []
    start = 0
    for match in _INLINE_HEADING.finditer(paragraph):
        piece = paragraph[start : match.start()].strip()
        if piece:
            parts.append(piece)
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        parts.append(tail)
    return parts


def _plain_paragraphs(text: str) -> list[str]:
    paragraphs: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        pieces = _NBSP_BREAK.split(line) if "\u00a0" in line else [line]
        for piece in pieces:
            piece = piece.strip()
            if not piece:
                continue
            if len(piece) > _HEADING_LINE_MAX:
                paragraphs.extend(split_inline_units(piece))
            else:
                paragraphs.append(piece)
    return paragraphs


def strip_header(text: str) -> str:
    """Drop a metadata header block (title line + `Diari/Butlletí:`, `Data:`, `URL:` lines)."""
    lines = text.split("\n")
    head: list[str] = []
    for line in lines:
        if not line.strip():
            break
        head.append(line)
    if head and any(_HEADER_FIELD.match(line.strip()) for line in head) and len(head) <= 8:
        return "\n".join(lines[len(head) :])
    return text


def parse_plain_law(path: str | Path, norm: NormInfo) -> list[LegalUnit]:
    """Legal units of a plain-text law (Catalan DOGC/BOIB texts, or any `Artículo N` text).

    The header lines (title, `Diari/Butlletí`, `Data`, `URL`) are metadata, not content. Text before
    the first article is the preamble; a text with no article at all is one preamble-like unit.
    """
    text = read_text(path)
    if not text.strip():
        raise ParseError(f"{path}: empty file")
    body = strip_header(text)
    paragraphs = _plain_paragraphs(body)
    if not paragraphs:
        raise ParseError(f"{path}: no text after the header")
    lines: Sequence[SourceLine] = [SourceLine(paragraph) for paragraph in paragraphs]
    return split_law(lines, norm, plain_headings=True, inline=True)
