"""Every user-facing string, from a gettext catalogue in the product's five languages.

The catalogue lives in `locale/<lang>/LC_MESSAGES/ventanilla.po` (msgid = a stable key such as
`abstain`, msgstr = the text, with `{name}` placeholders), compiled to `ventanilla.mo` beside it;
`ca@valencia` holds the Valencian variant of Catalan and falls back to `ca` for what it does not
override. Code asks for a message by key with `t(key, lang, **values)`; a key missing from any language
is a test failure (tests/test_i18n_and_layout.py), never a runtime surprise. How to add a key:
docs/languages.md.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path
from typing import Any

from ventanilla.domain import LANGUAGES

__all__ = [
    "DOMAIN",
    "LOCALES",
    "LOCALE_DIR",
    "MissingMessage",
    "compile_catalogues",
    "locale_for",
    "message_keys",
    "missing_translations",
    "t",
]

DOMAIN = "ventanilla"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
VALENCIAN = "ca@valencia"
LOCALES: tuple[str, ...] = (*LANGUAGES, VALENCIAN)
SOURCE_LANGUAGE = "es"  # the fallback of every other language


def locale_for(lang: str | None) -> str:
    """The catalogue locale for a language tag: `ca-ES-valencia`, `ca_ES@valencia`, `va` ->
    `ca@valencia`; `gl-ES` -> `gl`; unknown or empty -> `es`."""
    from ventanilla.language import normalize_language

    if not lang:
        return SOURCE_LANGUAGE
    try:
        base, variant = normalize_language(lang)
    except ValueError:
        return SOURCE_LANGUAGE
    return VALENCIAN if base == "ca" and variant == "valencia" else base


class MissingMessage(KeyError):
    """A key that no catalogue defines (a programming error: add it to every .po file)."""


@cache
def _catalogue(locale: str) -> gettext.NullTranslations:
    chain: list[str] = [locale]
    if locale == VALENCIAN:
        chain.append("ca")
    if SOURCE_LANGUAGE not in chain:
        chain.append(SOURCE_LANGUAGE)
    first: gettext.NullTranslations | None = None
    for name in chain:
        translations = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[name], fallback=False)
        if first is None:
            first = translations
        else:
            first.add_fallback(translations)
    assert first is not None
    return first


def t(key: str, lang: str | None, /, **values: Any) -> str:
    """The message `key` in `lang` (any tag `locale_for` accepts; Spanish when unsupported),
    formatted with `values`."""
    text = _catalogue(locale_for(lang)).gettext(key)
    if text == key:
        raise MissingMessage(key)
    return text.format(**values) if values else text


def _read_po(locale: str) -> Any:
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return read_po(handle, locale=locale.split("@")[0])


def message_keys() -> set[str]:
    """Every key defined in any language's .po file."""
    keys: set[str] = set()
    for locale in LANGUAGES:
        keys |= {str(m.id) for m in _read_po(locale) if m.id}
    return keys


def missing_translations() -> list[tuple[str, str]]:
    """(key, language) pairs that some language defines and another lacks or leaves empty."""
    keys = message_keys()
    missing = []
    for locale in LANGUAGES:
        present = {str(m.id) for m in _read_po(locale) if m.id and m.string and not m.fuzzy}
        missing += [(key, locale) for key in sorted(keys - present)]
    return missing


def compile_catalogues(check: bool = False) -> list[str]:
    """Compile every .po into its .mo (offline, idempotent). With `check`, write nothing and return
    the locales whose .mo is missing or out of date."""
    from babel.messages.mofile import write_mo

    stale = []
    for locale in LOCALES:
        buffer = io.BytesIO()
        write_mo(buffer, _read_po(locale), use_fuzzy=False)
        target = LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if not target.is_file() or target.read_bytes() != buffer.getvalue():
            stale.append(locale)
            if not check:
                target.write_bytes(buffer.getvalue())
    if stale and not check:
        _catalogue.cache_clear()
    return stale
