"""Explicit legal references in a question, resolved against a catalogue of norms.

Finds mentions such as "artículo 21 de la Ley 39/2015", "art. 122 LPAC", "el 38 de la Ley 40/2015",
"arts. 21 y 22 de la Ley 39/2015", "Ley Orgánica 3/2018", "RD 203/2021", "disposición adicional
tercera de la Ley 9/2017", and the Catalan, Galician, Basque and English forms ("article 21 de la Llei
39/2015", "artigo 21 da Lei 39/2015", "39/2015 Legearen 21. artikulua", "Article 21 of Law 39/2015").

A unit mention takes the norm named right after it ("... de la Ley 39/2015", "... LPAC"); failing that,
the only norm named in the question; failing that, `default_norm`. Units are keyed the way BOE block
ids are (`a21`, `a21bis`, `datercera`, `ddunica`); norms whose BOE ids are irregular (`a1-34`, `da-2`)
pass a `blocks` map from those keys to their real ids, built with `unit_key(heading)`.

Everything here is a pure function of the text and the catalogue.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ventanilla.legal.block_ids import article_block_id, disposition_block_id

__all__ = [
    "Citation",
    "NormMention",
    "NormRef",
    "UnitMention",
    "default_aliases",
    "find_citations",
    "find_norm_mentions",
    "find_unit_mentions",
    "norm_kind",
    "unit_key",
]


@dataclass(frozen=True)
class NormRef:
    """One norm of the catalogue.

    `short_name` is how it is cited ("Ley 39/2015"); `aliases` are other names ("LPAC", "Ley de
    Procedimiento Administrativo Común"); `blocks` maps canonical unit keys (`a21`, `datercera`) to the
    real block ids where they differ (irregular BOE ids); without it the key is the block id.
    """

    norm_id: str
    short_name: str = ""
    title: str = ""
    domain: str = ""
    aliases: tuple[str, ...] = ()
    blocks: Mapping[str, str] | None = field(default=None, compare=False, hash=False)

    def block_for(self, key: str) -> str | None:
        if self.blocks is None:
            return key
        return self.blocks.get(key)


@dataclass(frozen=True)
class UnitMention:
    """An article or disposición named in the text: its canonical key and character span."""

    key: str
    start: int
    end: int


@dataclass(frozen=True)
class NormMention:
    """A norm named in the text: resolved `norm_id` (None when not in the catalogue) and span."""

    norm_id: str | None
    number: str | None  # "39/2015" when named by number
    start: int
    end: int


@dataclass(frozen=True)
class Citation:
    """A resolved reference: the norm, and the unit's block id (None for the whole norm, or a unit
    the norm does not have); `unit` is the canonical key that was asked for."""

    norm_id: str
    block_id: str | None
    unit: str | None = None
    text: str = ""

    @property
    def parent_id(self) -> str | None:
        return f"{self.norm_id}__{self.block_id}" if self.block_id else None


# --- text helpers ----------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case without accents, same length as `text` for the characters we match on."""
    out = []
    for ch in text.lower():
        decomposed = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append(base[:1] if base else ch)
    return "".join(out)


# --- norm kinds --------------------------------------------------------------------------------------

# Folded words that name a type of norm, longest first, with their kind.
_KIND_WORDS: list[tuple[str, str]] = [
    (r"real\s+decreto[\s-]+legislativo|rdleg|r\.?\s?d\.?\s?leg\.?|texto\s+refundido|trlrhl", "rdleg"),
    (r"real\s+decreto[\s-]+ley|rdl|r\.?d\.?-ley|reial\s+decret[\s-]+llei|real\s+decreto\s+lei", "rdley"),
    (r"real\s+decreto|reial\s+decret|r\.?\s?d\.?|royal\s+decree|errege\s+dekretua", "rd"),
    (r"decreto\s+legislativo|decret\s+legislatiu|decreto\s+foral\s+legislativo", "dleg"),
    (
        r"ley\s+organica|llei\s+organica|lei\s+organica|organic\s+law|l\.?\s?o\.?|lege\s+organikoa",
        "lo",
    ),
    (r"ley\s+foral", "ley"),
    (r"decreto[\s-]+ley|decret[\s-]+llei", "dley"),
    (r"decreto|decret|decree|dekretua", "decreto"),
    (r"ley|llei|lei|law|legea|legearen|lege", "ley"),
    (r"reglamento|regulation|reglament", "reglamento"),
    (r"orden|ordre|order|agindua", "orden"),
]


def norm_kind(name: str) -> str | None:
    """The kind of a norm from its name: `Ley Orgánica 3/2018` -> `lo`, `RD 203/2021` -> `rd`."""
    folded = _fold(name).strip()
    for pattern, kind in _KIND_WORDS:
        if re.match(rf"(?:{pattern})\b", folded):
            return kind
    return None


_KIND_ALT = "|".join(f"(?:{p})" for p, _ in _KIND_WORDS)
# "Ley 39/2015", "LO 3/2018", "RD 203/2021", "Llei 39/2015", "Law 39/2015", "Ley n.º 39/2015"
_NORM_BY_NUMBER = re.compile(
    rf"\b(?P<kind>{_KIND_ALT})\s*(?:n\.?\s*[ºo°]?\.?\s*|num\.?\s*|numero\s+)?(?P<number>\d{{1,4}}/\d{{2,4}})\b"
)
# Basque puts the number first: "39/2015 Legea", "3/2018 Lege Organikoa".
_NORM_NUMBER_FIRST = re.compile(
    r"\b(?P<number>\d{1,4}/\d{2,4})\s*(?P<kind>lege\s+organikoa\w*|legea\w*|legearen|errege\s+dekretua\w*|dekretua\w*)"
)
_BARE_NUMBER = re.compile(r"(?<![\d/])(?P<number>\d{1,4}/\d{4})(?![\d/])")


def _number_key(number: str) -> str:
    """`39/2015` stays; a two-digit year becomes four digits (`39/15` -> `39/2015`)."""
    num, year = number.split("/")
    if len(year) == 2:
        year = ("19" if int(year) > 50 else "20") + year
    return f"{int(num)}/{year}"


def _catalogue_number(ref: NormRef) -> str | None:
    match = re.search(r"(\d{1,4}/\d{2,4})", ref.short_name or ref.title)
    return _number_key(match.group(1)) if match else None


_STOP_TITLE = re.compile(r",?\s*de\s+\d{1,2}\s+de\s+\w+(?:\s+de\s+\d{4})?,?\s*", re.IGNORECASE)


def default_aliases(short_name: str, title: str) -> tuple[str, ...]:
    """Names people use besides the number: "Ley 9/2017, de 8 de noviembre, de Contratos del Sector
    Público, por la que..." gives "Ley de Contratos del Sector Público"."""
    if not title:
        return ()
    match = re.match(r"(.+?)\s+\d{1,4}/\d{2,4}(.*)", title)
    if not match:
        return ()
    kind, rest = match.group(1), _STOP_TITLE.sub(" ", match.group(2), count=1).strip(" ,")
    rest = re.split(r",|\s+por\s+el\s+que\s|\s+por\s+la\s+que\s", rest)[0].strip()
    if len(rest.split()) < 2:
        return ()
    return (f"{kind} {rest}",)


@lru_cache(maxsize=4096)
def _alias_pattern(alias: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in _fold(alias).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)")


def find_norm_mentions(text: str, catalogue: Sequence[NormRef]) -> list[NormMention]:
    """Norms named in `text` by number (with or without kind) or by alias, in text order."""
    folded = _fold(text)
    by_number: dict[str, list[NormRef]] = {}
    for ref in catalogue:
        number = _catalogue_number(ref)
        if number:
            by_number.setdefault(number, []).append(ref)
    mentions: list[NormMention] = []
    taken: list[tuple[int, int]] = []

    def overlaps(start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in taken)

    def resolve(number: str, kind: str | None) -> str | None:
        candidates = by_number.get(_number_key(number), [])
        if kind is not None:
            same_kind = [c for c in candidates if norm_kind(c.short_name or c.title) == kind]
            if same_kind:
                candidates = same_kind
            elif kind == "ley":  # "Ley 3/2018" for a Ley Orgánica, a common shortening
                candidates = [c for c in candidates if norm_kind(c.short_name or c.title) in ("lo", "ley")]
        return candidates[0].norm_id if len(candidates) >= 1 else None

    for pattern in (_NORM_BY_NUMBER, _NORM_NUMBER_FIRST):
        for match in pattern.finditer(folded):
            if overlaps(match.start(), match.end()):
                continue
            kind = norm_kind(match.group("kind"))
            if pattern is _NORM_NUMBER_FIRST:
                kind_text = match.group("kind")
                kind = (
                    "lo"
                    if "organiko" in kind_text
                    else "rd"
                    if "errege" in kind_text
                    else ("decreto" if kind_text.startswith("dekretu") else "ley")
                )
            number = _number_key(match.group("number"))
            mentions.append(NormMention(resolve(number, kind), number, match.start(), match.end()))
            taken.append((match.start(), match.end()))
    for match in _BARE_NUMBER.finditer(folded):
        if overlaps(match.start(), match.end()):
            continue
        number = _number_key(match.group("number"))
        if number in by_number:  # a bare "39/2015" only counts when it is a known norm
            mentions.append(NormMention(resolve(number, None), number, match.start(), match.end()))
            taken.append((match.start(), match.end()))
    aliases: list[tuple[str, NormRef]] = []
    for ref in catalogue:
        for alias in (*ref.aliases, *default_aliases(ref.short_name, ref.title)):
            aliases.append((alias, ref))
    for alias, ref in sorted(aliases, key=lambda item: -len(item[0])):
        for match in _alias_pattern(alias).finditer(folded):
            if not overlaps(match.start(), match.end()):
                mentions.append(NormMention(ref.norm_id, _catalogue_number(ref), match.start(), match.end()))
                taken.append((match.start(), match.end()))
    return sorted(mentions, key=lambda m: m.start)


# --- units -------------------------------------------------------------------------------------------

_LATIN = r"bis|ter|quater|quinquies|sexies|septies|octies|nonies|novies|decies"
_ART_NUMBER = rf"(?P<num>\d{{1,4}})(?:\s*[\.ºo°]?\s*(?P<suffix>{_LATIN})\b)?"
_ART_WORD = r"articulos?|arts?\.?|article|articles|artigos?|art\.|artikuluak?|artículo"
# "artículo 21", "art. 21 bis", "arts. 21 y 22", "artículos 21, 22 y 24", "Article 21"
_ARTICLE = re.compile(
    rf"\b(?:{_ART_WORD})\s*(?:n\.?\s*[ºo°]\.?\s*)?(?P<list>\d{{1,4}}(?:\s*[\.ºo°]?\s*(?:{_LATIN})\b)?"
    rf"(?:\.\d+(?:\.[a-z]\))?)?(?:\s*(?:,|y|e|i|and|eta|o|or)\s*\d{{1,4}}(?:\s*(?:{_LATIN})\b)?)*)"
)
# Basque: "21. artikulua", "21 artikuluan"
_ARTICLE_NUMBER_FIRST = re.compile(rf"\b{_ART_NUMBER}\s*\.?\s*artikulu\w*")
# "el 38 de la Ley 40/2015", "del 21 LPAC" — a bare number only right before a norm (checked later)
_BARE_ARTICLE = re.compile(rf"\b(?:el|al|del|en\s+el|l'|o|do|the)\s*{_ART_NUMBER}(?=\s)")

_DISP_KINDS = {
    "adicional": "additional",
    "addicional": "additional",
    "additional": "additional",
    "transitoria": "transitional",
    "transitoria.": "transitional",
    "transitional": "transitional",
    "derogatoria": "derogatory",
    "derogatory": "derogatory",
    "final": "final",
}
_ORDINAL_WORD = (
    r"(?:(?:decimo|vigesim[oa]|trigesim[oa]|cuadragesim[oa]|quincuagesim[oa]|sexagesim[oa]|septuagesim[oa]"
    r"|octogesim[oa]|nonagesim[oa])\s*)?"
    r"(?:primer[ao]?|segund[ao]|tercer[ao]?|cuart[ao]|quint[ao]|sext[ao]|s[e]?ptim[ao]|octav[ao]|noven[ao]"
    r"|decim[ao]|undecim[ao]|duodecim[ao]|unic[ao]|segona|quarta|cinquena|sisena|setena|vuitena|novena"
    r"|desena|unica)"
    r"|\d{1,2}\s*[\.ªºa]?"
)
_DISPOSITION = re.compile(
    r"\b(?:disposicion|disposicio|disposiciones|provision)\s+"
    r"(?P<kind>adicional|addicional|additional|transitoria|transitional|derogatoria|derogatory|final)"
    rf"(?:\s+(?P<ord>{_ORDINAL_WORD}))?(?![\w])"
)


def _article_key(number: str, suffix: str | None) -> str:
    return article_block_id(f"{int(number)} {suffix}" if suffix else str(int(number)))


def find_unit_mentions(text: str) -> list[UnitMention]:
    """Articles and disposiciones named in `text` (`a21`, `a21bis`, `datercera`, `ddunica`)."""
    folded = _fold(text)
    units: list[UnitMention] = []
    for match in _ARTICLE.finditer(folded):
        for item in re.finditer(
            rf"(?<![\d.])(\d{{1,4}})(?:\s*[\.ºo°]?\s*({_LATIN})\b)?", match.group("list")
        ):
            units.append(UnitMention(_article_key(item.group(1), item.group(2)), match.start(), match.end()))
    for match in _ARTICLE_NUMBER_FIRST.finditer(folded):
        units.append(
            UnitMention(_article_key(match.group("num"), match.group("suffix")), match.start(), match.end())
        )
    for match in _DISPOSITION.finditer(folded):
        kind = _DISP_KINDS[match.group("kind")]
        ordinal = (match.group("ord") or "").strip().rstrip(".ªº")
        if ordinal and ordinal[-1] == "a" and ordinal[:-1].isdigit():
            ordinal = ordinal[:-1]
        if not ordinal and kind in ("derogatory", "final"):
            ordinal = "unica" if kind == "derogatory" else ""
        units.append(UnitMention(disposition_block_id(kind, ordinal), match.start(), match.end()))
    return sorted(units, key=lambda u: (u.start, u.key))


def unit_key(heading: str) -> str | None:
    """Canonical key of a unit from its heading: "Artículo 21. Obligación de resolver." -> `a21`,
    "Disposición adicional primera. ..." -> `daprimera`. None when the heading names no unit.
    Used to build `NormRef.blocks` for norms whose BOE block ids are irregular."""
    folded = _fold(heading).strip()
    match = re.match(rf"(?:articulo|article|artigo)\s+{_ART_NUMBER}", folded)
    if match:
        return _article_key(match.group("num"), match.group("suffix"))
    match = _DISPOSITION.match(folded)
    if match:
        kind = _DISP_KINDS[match.group("kind")]
        ordinal = (match.group("ord") or "").strip().rstrip(".ªº")
        return disposition_block_id(kind, ordinal)
    return None


# --- resolution --------------------------------------------------------------------------------------

# What may sit between a unit and the norm it belongs to: "de la", "del", "of the", "de l'", "da", ", "
_CONNECTOR = re.compile(
    r"^(?:\s|,|\(|\.\d+|apartado\s+\d+|\d+\.?|de|del|la|el|l'|da|do|of|the|en|in|de\s+l')*$"
)


def find_citations(
    text: str, catalogue: Sequence[NormRef], default_norm: str | None = None
) -> list[Citation]:
    """Resolved references in `text`, in text order, without duplicates.

    A unit whose norm cannot be determined is dropped unless `default_norm` is given. Norms named with
    no unit come back with `block_id=None`.
    """
    norms = find_norm_mentions(text, catalogue)
    units = find_unit_mentions(text)
    refs = {ref.norm_id: ref for ref in catalogue}
    folded = _fold(text)
    out: list[Citation] = []
    used_norms: set[int] = set()
    known = [n for n in norms if n.norm_id is not None]
    distinct = {n.norm_id for n in known}

    for unit in units + _bare_units(folded, norms):
        norm: NormMention | None = None
        for index, mention in enumerate(norms):
            if mention.start >= unit.end and _CONNECTOR.match(folded[unit.end : mention.start]):
                norm = mention
                used_norms.add(index)
                break
        if norm is None and isinstance(unit, _BareUnit):
            continue
        norm_id = (
            norm.norm_id
            if norm is not None
            else (next(iter(distinct)) if len(distinct) == 1 else default_norm)
        )
        if norm_id is None or norm_id not in refs:
            continue
        if norm is None:
            used_norms.update(i for i, n in enumerate(norms) if n.norm_id == norm_id)
        out.append(
            Citation(norm_id, refs[norm_id].block_for(unit.key), unit.key, text[unit.start : unit.end])
        )
    cited_norms = {c.norm_id for c in out}
    for index, mention in enumerate(norms):
        if mention.norm_id is None or index in used_norms or mention.norm_id in cited_norms:
            continue
        out.append(Citation(mention.norm_id, None, None, text[mention.start : mention.end]))
    return _dedupe(out)


@dataclass(frozen=True)
class _BareUnit(UnitMention):
    pass


def _bare_units(folded: str, norms: Iterable[NormMention]) -> list[UnitMention]:
    starts = [n.start for n in norms]
    units: list[UnitMention] = []
    for match in _BARE_ARTICLE.finditer(folded):
        # only when a norm follows through connector words: "el 38 de la Ley 40/2015"
        if any(s >= match.end() and _CONNECTOR.match(folded[match.end() : s]) for s in starts):
            units.append(
                _BareUnit(_article_key(match.group("num"), match.group("suffix")), match.start(), match.end())
            )
    return units


def _dedupe(citations: list[Citation]) -> list[Citation]:
    seen: set[tuple[str, str | None, str | None]] = set()
    out: list[Citation] = []
    for citation in citations:
        key = (citation.norm_id, citation.block_id, citation.unit)
        if key not in seen:
            seen.add(key)
            out.append(citation)
    return out


# --- norms the catalogue does not hold ----------------------------------------------------------------

# A norm named by its name rather than its number: "Código Penal", "Estatuto de los Trabajadores",
# "Ley de Arrendamientos Urbanos", "Ley General de la Seguridad Social", "Llei de ...".
_NAMED_NORM = re.compile(
    r"\b(?P<name>(?:codigo|codi|estatuto|estatut|ley|llei|lei|legea)\s+"
    r"(?:(?:general|organica|del?|de\s+la|de\s+los|de\s+las|dels?|da|do|das|dos)\s+){0,3}"
    r"(?P<head>[a-z][a-z]{3,})(?:\s+(?:y\s+|e\s+|i\s+)?[a-z]{4,}){0,2})"
)
# Acronyms people cite laws by: "LGSS", "LSSI", "LEC", "LAU", "TRLGSS".
_ACRONYM = re.compile(r"\b(?P<acr>(?:TR)?L[A-Z]{1,6}|RDLeg|ET|CP|CC)\b")
_GENERIC_HEADS = {"procedimiento", "proteccion", "presente", "misma", "mismo", "vigente", "anterior"}


@lru_cache(maxsize=16)
def _known_names(catalogue: tuple[NormRef, ...]) -> tuple[list[str], list[str]]:
    """Folded names and acronym initials of every norm in the catalogue (computed once per catalogue)."""
    names: list[str] = []
    for ref in catalogue:
        for alias in (ref.short_name, ref.title, *ref.aliases, *default_aliases(ref.short_name, ref.title)):
            if alias:
                names.append(_fold(alias))
    return names, [_initials(name) for name in names]


def mentions_unknown_norm(text: str, catalogue: Sequence[NormRef]) -> bool:
    """True when the text names a norm (by number, name or acronym) and none it names is in the catalogue.

    "¿Qué dice el artículo 38 del Estatuto de los Trabajadores?" asked of a corpus without that statute
    has no evidence to stand on, however close its words are to some article that is there.
    """
    numbered = find_norm_mentions(text, catalogue)
    if any(m.norm_id is not None for m in numbered):
        return False
    if numbered:
        return True
    folded = _fold(text)
    known, initials = _known_names(tuple(catalogue))
    for match in _NAMED_NORM.finditer(folded):
        if match.group("head") in _GENERIC_HEADS:
            continue
        words = match.group("name").split()
        # the name's first content words must appear in some catalogue title or alias
        content = [w for w in words[1:] if len(w) > 3 and w not in {"general", "organica"}][:2]
        if content and not any(all(w in name for w in content) for name in known):
            return True
    for match in _ACRONYM.finditer(text):
        acronym = match.group("acr").lower()
        if not any(re.search(rf"\b{re.escape(acronym)}\b", name) for name in known) and not any(
            i.startswith(acronym) for i in initials
        ):
            return True
    return False


_MINOR_WORDS = {"de", "del", "la", "las", "el", "los", "y", "e", "i", "en", "por", "que", "a"}


def _initials(name: str) -> str:
    """ "ley general tributaria" -> "lgt": how laws get their acronyms (LGT, LPAC, LCSP)."""
    words = re.split(r"[\s,]+", re.sub(r"\d+/\d+", " ", name))
    return "".join(w[0] for w in words if w and w not in _MINOR_WORDS and w[0].isalpha())
