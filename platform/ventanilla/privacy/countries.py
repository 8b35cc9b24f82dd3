"""Country names: to complete a country span the NER cut short ("EE" of "EE. UU.", "Costa" of "Costa
Rica") and to tell a country the NER read as a town ("Uruguay").

The names are Babel's (CLDR) territory names in the product's languages, so every country has its
Spanish, Catalan, Galician, Basque and English spelling without a list of our own, plus the
abbreviations clinical and administrative text uses for the United States and the United Kingdom.
Completion needs only the names of more than one word or with a dot (a one-word name cannot be cut
short); `is_country` knows them all, less those that are also Spanish towns or saints' names.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale

from ventanilla.privacy.geonames import towns

if TYPE_CHECKING:
    from ventanilla.privacy.engine import Detection

__all__ = ["complete_country", "country_names", "is_country"]

_LOCALES = ("es", "ca", "gl", "eu", "en")
# Abbreviations and long forms CLDR does not list as the country's name.
_EXTRA = (
    "EE. UU.",
    "EE.UU.",
    "EE UU",
    "U.S.A.",
    "Estados Unidos de América",
    "Estados Unidos de Norteamérica",
    "República Argentina",
    "República Checa",
    "República de Cuba",
    "Reino Unido de Gran Bretaña",
    "Gran Bretaña",
    "U.K.",
)
# CLDR territories that are not countries (regions, unions, "unknown region").
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@lru_cache(maxsize=1)
def country_names() -> tuple[str, ...]:
    """Names of more than one word or with a dot, longest first."""
    names: set[str] = set(_EXTRA)
    for code in _LOCALES:
        for territory, name in Locale(code).territories.items():
            if not (territory.isalpha() and len(territory) == 2) or territory in _NOT_COUNTRIES:
                continue
            name = re.sub(r"\s*\(.*\)", "", name).strip()
            if (" " in name or "." in name) and name[:1].isupper():
                names.add(name)
    return tuple(sorted(names, key=len, reverse=True))


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(name) for name in country_names()) + r"(?!\w)")


def complete_country(text: str, d: Detection) -> Detection:
    """`d` extended to the whole country name it begins, as a country; `d` itself otherwise.

    A place span is only extended to an abbreviation ("U" of "U.S.A."): "San" of "San Marino" may be
    a town's name cut short, not the country."""
    match = _pattern().match(text, d.start)
    if match is None or match.end() <= d.end:
        return d
    if d.entity != "COUNTRY" and "." not in match.group():
        return d
    return replace(d, end=match.end(), text=match.group(), entity="COUNTRY")


@lru_cache(maxsize=1)
def _all_country_names() -> frozenset[str]:
    """Every CLDR country name in the product's languages, less those that are also Spanish towns
    ("Granada": GeoNames' Spanish towns of more than 15,000 people) or saints' names."""
    names: set[str] = set(_EXTRA) | {"USA", "EEUU", "UK"}
    for code in _LOCALES:
        for territory, name in Locale(code).territories.items():
            if territory.isalpha() and len(territory) == 2 and territory not in _NOT_COUNTRIES:
                names.add(re.sub(r"\s*\(.*\)", "", name).strip())
    spanish_towns = towns().spanish
    # "San Martín", "Santa Lucía": as often a town, a street or a saint as the country.
    saints = {n for n in names if n.startswith(("San ", "Santa ", "Santo ", "São ", "Sant "))}
    return frozenset(names - spanish_towns - saints)


def is_country(value: str) -> bool:
    """`value` is a country's name (and not also a Spanish town's)."""
    return value in _all_country_names()
