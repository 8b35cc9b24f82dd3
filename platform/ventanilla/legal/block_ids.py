"""BOE-style block ids for legal sources that come without BOE XML.

Relevance judgments key legal units as `<norm_id>__<block_id>` using the ids of the BOE consolidated
text. For norms we only have as Markdown or plain text we rebuild those ids, mirroring the pattern the
BOE uses for most consolidated laws (checked against `legislation/blocks/*.jsonl` and the judgments):

* numbered articles: `Artículo 21` -> `a21`, `Artículo 21 bis` -> `a21bis`, `Artículo único` -> `aunico`;
* articles numbered in words keep the words: `Artículo noventa y cinco` -> `anoventaycinco`
  (the judgments use `BOE-A-1986-10499__anoventaycinco`, `__acientodos`);
* disposiciones keep their ordinal word: `Disposición adicional cuarta` -> `dacuarta`,
  `vigésima primera` -> `davigesimaprimera`, `Disposición derogatoria única` -> `ddunica`,
  an unnumbered `Disposición derogatoria` -> `dd` (judgments: `__dacuarta`, `__dttercera`, `__dfsegunda`);
  the word is the canonical Spanish spelling, so `décimo octava`, `18.ª` and Catalan `divuitena` all
  give `dadecimoctava`;
* `preambulo`; annexes `an` (single) or `an1`, `an2`... (numbered);
* duplicates within a norm get `-2`, `-3`... as the BOE does.

The BOE is not fully regular (newer laws use `da`, `da-2`... and some articles get sequence ids such as
`a1-5`), so for the norms that have BOE XML always use the XML ids instead of these.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "IdAllocator",
    "annex_block_id",
    "article_block_id",
    "article_number_value",
    "ascii_fold",
    "disposition_block_id",
    "disposition_kind",
    "ordinal_value",
    "parse_spanish_cardinal",
    "roman_to_int",
    "spanish_ordinal_word",
]

PREAMBLE_ID = "preambulo"

_DISPOSITION_PREFIX = {"additional": "da", "transitional": "dt", "derogatory": "dd", "final": "df"}

_DISPOSITION_KINDS = {
    "adicional": "additional",
    "addicional": "additional",
    "transitoria": "transitional",
    "transitòria": "transitional",
    "derogatoria": "derogatory",
    "derogatòria": "derogatory",
    "final": "final",
}


def ascii_fold(text: str) -> str:
    """Lower-case, strip accents and drop everything but letters and digits (how BOE ids spell words)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isascii() and ch.isalnum())


# --- Spanish ordinals (disposiciones, libros) -------------------------------------------------------

_ES_UNITS_FEM = ["primera", "segunda", "tercera", "cuarta", "quinta", "sexta", "septima", "octava", "novena"]
_ES_UNITS_MASC = ["primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "septimo", "octavo", "noveno"]
_ES_TENS = {
    10: "decim",
    20: "vigesim",
    30: "trigesim",
    40: "cuadragesim",
    50: "quincuagesim",
    60: "sexagesim",
    70: "septuagesim",
    80: "octogesim",
    90: "nonagesim",
}


def spanish_ordinal_word(value: int, feminine: bool = True) -> str:
    """The ASCII Spanish ordinal BOE ids use: 1 -> `primera`, 18 -> `decimoctava`, 21 -> `vigesimaprimera`."""
    if not 1 <= value <= 99:
        raise ValueError(f"ordinal out of range: {value}")
    units = _ES_UNITS_FEM if feminine else _ES_UNITS_MASC
    vowel = "a" if feminine else "o"
    tens, unit = divmod(value, 10)
    if tens == 0:
        return units[unit - 1]
    if value == 11:
        return "undecim" + vowel
    if value == 12:
        return "duodecim" + vowel
    stem = _ES_TENS[tens * 10]
    if unit == 0:
        return stem + vowel
    if tens == 1:  # decimotercera, decimoctava: the compound keeps the masculine linking vowel
        word = units[unit - 1]
        return "decim" + word if word.startswith("o") else "decimo" + word
    return stem + vowel + units[unit - 1]


def _build_spanish_ordinals() -> dict[str, int]:
    table: dict[str, int] = {"unica": 1, "unico": 1, "primer": 1, "tercer": 3}
    for gender_units in (_ES_UNITS_FEM, _ES_UNITS_MASC):
        for index, word in enumerate(gender_units, start=1):
            table[word] = index
    table["setima"] = 7
    table["setimo"] = 7
    for vowel in "ao":
        table["undecim" + vowel] = 11
        table["duodecim" + vowel] = 12
        for tens, stem in _ES_TENS.items():
            table[stem + vowel] = tens
            for gender_units in (_ES_UNITS_FEM, _ES_UNITS_MASC):
                for index, word in enumerate(gender_units, start=1):
                    table[stem + vowel + word] = tens + index
                    if word.startswith("o"):  # decimoctava, vigesimoctava
                        table[stem + word] = tens + index
    for value in range(1, 100):
        table.setdefault(spanish_ordinal_word(value), value)
        table.setdefault(spanish_ordinal_word(value, feminine=False), value)
    return table


_ES_ORDINALS = _build_spanish_ordinals()

# --- Catalan ordinals ---------------------------------------------------------------------------------

_CA_STEMS = {
    5: "cinqu",
    6: "sis",
    7: "set",
    8: "vuit",
    9: "nov",
    10: "des",
    11: "onz",
    12: "dotz",
    13: "tretz",
    14: "catorz",
    15: "quinz",
    16: "setz",
    17: "disset",
    18: "divuit",
    19: "dinov",
    20: "vint",
    30: "trent",
    40: "quarant",
    50: "cinquant",
}
_CA_COMPOUND_UNITS = {
    1: "un",
    2: "dos",
    3: "tres",
    4: "quatr",
    5: "cinqu",
    6: "sis",
    7: "set",
    8: "vuit",
    9: "nov",
}


def _build_catalan_ordinals() -> dict[str, int]:
    table: dict[str, int] = {
        "primera": 1,
        "primer": 1,
        "segona": 2,
        "segon": 2,
        "tercera": 3,
        "tercer": 3,
        "quarta": 4,
        "quart": 4,
        "unica": 1,
        "unic": 1,
    }
    for value, stem in _CA_STEMS.items():
        table[ascii_fold(stem + "ena")] = value
        table[ascii_fold(stem + "è")] = value
    for tens, joiner in ((20, "vinti"), (30, "trenta"), (40, "quaranta"), (50, "cinquanta")):
        for unit, stem in _CA_COMPOUND_UNITS.items():
            table[joiner + stem + "ena"] = tens + unit
            table[joiner + stem + "e"] = tens + unit
    return table


_CA_ORDINALS = _build_catalan_ordinals()

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def roman_to_int(text: str) -> int | None:
    """Value of a Roman numeral (`XIV` -> 14), None when `text` is not one."""
    letters = text.strip().lower()
    if not letters or any(ch not in _ROMAN for ch in letters):
        return None
    total = 0
    for index, ch in enumerate(letters):
        value = _ROMAN[ch]
        if index + 1 < len(letters) and _ROMAN[letters[index + 1]] > value:
            total -= value
        else:
            total += value
    return total


def ordinal_value(text: str) -> int | None:
    """Numeric value of an ordinal as printed in Spanish or Catalan law.

    Accepts words (`vigésima primera`, `decimoctava`, `segona`, `vint-i-unena`), `única` (1) and
    numeric forms (`3.ª`, `1a`, `2n`, `3r`, `4t`, `IV`). None when not recognised.
    """
    folded = ascii_fold(text)
    if not folded:
        return None
    if folded in _ES_ORDINALS:
        return _ES_ORDINALS[folded]
    if folded in _CA_ORDINALS:
        return _CA_ORDINALS[folded]
    match = re.fullmatch(r"(\d+)(?:a|o|r|n|t|er|ra|na|ta|e|ena)?", folded)
    if match:
        return int(match.group(1))
    stripped = text.strip().rstrip(".")
    return roman_to_int(stripped) if stripped.isupper() else None


# --- Spanish cardinals (articles numbered in words) ------------------------------------------------

_ES_CARDINALS = {
    "un": 1,
    "uno": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "veintiuno": 21,
    "veintiun": 21,
    "veintidos": 22,
    "veintitres": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
    "cien": 100,
    "ciento": 100,
    "doscientos": 200,
    "trescientos": 300,
    "cuatrocientos": 400,
    "quinientos": 500,
    "seiscientos": 600,
    "setecientos": 700,
    "ochocientos": 800,
    "novecientos": 900,
}


def parse_spanish_cardinal(text: str) -> int | None:
    """`noventa y cinco` -> 95, `ciento dos` -> 102; None unless every word is a number word."""
    words = [ascii_fold(word) for word in text.split()]
    if not words:
        return None
    total = 0
    for word in words:
        if word == "y":
            continue
        if word not in _ES_CARDINALS:
            return None
        total += _ES_CARDINALS[word]
    return total or None


def is_spanish_cardinal_word(word: str) -> bool:
    """Whether `word` can be part of an article number written in words."""
    folded = ascii_fold(word)
    return folded in _ES_CARDINALS or folded == "y"


# --- ids ----------------------------------------------------------------------------------------------

_LATIN_SUFFIXES = (
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "nonies",
    "novies",
    "decies",
)
_CATALAN_ABBREVIATED = re.compile(r"^(\d+)\s*(?:r|n|t|è|e|er)$", re.IGNORECASE)


def article_number_value(number: str) -> str:
    """Normalised article number for display and citations: `noventa y cinco` -> `95`, `3r` -> `3`."""
    cleaned = re.sub(r"[º°ª]|\.(?=[º°ª])", "", number).strip().rstrip(".")
    abbreviated = _CATALAN_ABBREVIATED.match(cleaned)
    if abbreviated:
        return abbreviated.group(1)
    value = parse_spanish_cardinal(cleaned)
    if value is not None:
        return str(value)
    return " ".join(cleaned.split())


def article_block_id(number: str) -> str:
    """`21` -> `a21`, `21 bis` -> `a21bis`, `único` -> `aunico`, `noventa y cinco` -> `anoventaycinco`,
    `111-8` -> `a111-8`, `18 a 20` -> `a18a20`."""
    cleaned = re.sub(r"[º°ª]|\.(?=[º°ª])", "", number).strip().rstrip(".")
    abbreviated = _CATALAN_ABBREVIATED.match(cleaned)
    if abbreviated:
        cleaned = abbreviated.group(1)
    parts = [part for part in re.split(r"\s+", cleaned) if part]
    return "a" + "".join(re.sub(r"[^0-9a-z-]", "", ascii_fold_keep_hyphen(part)) for part in parts)


def ascii_fold_keep_hyphen(text: str) -> str:
    """`ascii_fold` that keeps hyphens (Catalan code articles such as `111-8`)."""
    return "-".join(ascii_fold(piece) for piece in text.split("-"))


def disposition_kind(word: str) -> str | None:
    """`adicional`/`addicional` -> `additional`... (None for anything else)."""
    return _DISPOSITION_KINDS.get(word.lower())


def disposition_block_id(kind: str, ordinal: str) -> str:
    """`("additional", "cuarta")` -> `dacuarta`; `("derogatory", "")` -> `dd`.

    The ordinal is written in its canonical Spanish spelling, whatever the printed variant or language:
    `décimo octava`, `decimoctava`, `18.ª` -> `decimoctava`; `vigesimoprimera` -> `vigesimaprimera`;
    Catalan `segona` -> `segunda`; `única` stays `unica`. Canonical words are what the BOE prints in
    almost all cases, and one spelling lets a question's citation find the unit.
    """
    prefix = _DISPOSITION_PREFIX[kind]
    if not ordinal.strip():
        return prefix
    folded = ascii_fold(ordinal)
    if folded in ("unica", "unico", "unic"):
        return prefix + "unica"
    value = ordinal_value(ordinal)
    if value is None or not 1 <= value <= 99:
        return prefix + folded
    return prefix + spanish_ordinal_word(value)


def annex_block_id(number: str) -> str:
    """`""` -> `an`, `I` -> `an1`, `2` -> `an2`, `único` -> `an`."""
    cleaned = number.strip().rstrip(".")
    if not cleaned or ascii_fold(cleaned) in ("unico", "unic"):
        return "an"
    value = roman_to_int(cleaned) if not cleaned.isdigit() else int(cleaned)
    if value is None:
        value = ordinal_value(cleaned)
    return f"an{value}" if value is not None else "an" + ascii_fold(cleaned)


class IdAllocator:
    """Hands out ids unique within one norm: a repeated base gets `-2`, `-3`... (the BOE convention)."""

    def __init__(self) -> None:
        self._used: set[str] = set()
        self._counts: dict[str, int] = {}

    def allocate(self, base: str) -> str:
        count = self._counts.get(base, 0)
        candidate = base if count == 0 else f"{base}-{count + 1}"
        while candidate in self._used:
            count += 1
            candidate = f"{base}-{count + 1}"
        self._counts[base] = count + 1
        self._used.add(candidate)
        return candidate
