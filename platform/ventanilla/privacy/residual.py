"""Residual masking: a recall safety net for what the detector leaves in contact blocks.

The detector finds entities; some name and address pieces around them still slip through (the rest of
"Centro Nacional de Microbiología de Majadahonda", a foreign street, "Merck" in "(Dacortin 30 mg, Merck,
Barcelona)"). Two places concentrate them in clinical and case documents, and both are cheap to mask
without touching the clinical narrative:

- **contact lines**: a short line where the detector already found two different kinds of contact
  data (a person and a hospital, a street and a postal code…) is a letterhead, a signature or a
  "Remitido por" line; every remaining token with a capital letter or a digit in it is masked, except
  field labels ("Correo electrónico:") and honorifics;
- **manufacturer parentheses**: "(Product, Company, City, Country)" with a detected place: the
  capitalized items after the first (the product) are masked;
- **relatives named by their role** ("su esposa", "la abuela materna", "sa mare", "a súa nai"): in
  MEDDOCAN's train split 95 % of such words lie inside a personal-data span, and the detector misses
  some. They become `<FAMILIAR_n>`, so the clinical meaning ("<FAMILIAR_1> con diabetes") survives.
  Questions never get this (a tax question about "mis hijos" must keep them);
- **special categories** (GDPR art. 9) describing the patient: ethnic origin ("raza negra",
  "caucásico", "subsahariana") and sexual orientation ("homosexual"), as `<OTRO_DATO_n>`.

Residual spans are not scored as entities: they carry `source="residual"` (contact tokens the
`OTHER_PERSONAL` placeholder, relatives `RELATIVE`), and the evaluation keeps them out of the entity
scores (they only count in the leak and overmask rates). The domain policy picks the rules
(`pii.residual`; default contact + parentheses: a tax ruling's "hijos" and "cónyuge" are the law's
subject, so only the health domain adds relatives).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Literal

from ventanilla.privacy.engine import Detection

RESIDUAL_ENTITY = "OTHER_PERSONAL"
RELATIVE_ENTITY = "RELATIVE"
RESIDUAL_SOURCE = "residual"

Rule = Literal["contact", "parentheses", "relatives", "special"]
ALL_RULES: tuple[Rule, ...] = ("contact", "parentheses", "relatives", "special")
DEFAULT_RULES: tuple[Rule, ...] = ("contact", "parentheses")  # relatives only where the policy says

CONTACT_ENTITIES = frozenset(
    {"PERSON", "HEALTH_PROFESSIONAL", "STREET_ADDRESS", "LOCATION", "POSTAL_CODE", "COUNTRY", "HOSPITAL",
     "HEALTH_CENTRE", "INSTITUTION", "EMAIL_ADDRESS", "PHONE_NUMBER", "FAX_NUMBER", "MEDICAL_LICENSE"}
)  # fmt: skip
MIN_CONTACT_KINDS = 2  # one detection alone is ordinary narrative ("ingresó en el Hospital X")
MAX_CONTACT_LINE = 400  # contact blocks are short lines; a long paragraph is narrative
MAX_LOWERCASE_SHARE = 0.5  # ... and mostly capitalized: "(Dacortin 30 mg, Merck, Madrid), doxiciclina" is not

_TOKEN = re.compile(r"[^\s,;:()\[\]|]+")
# "Correo electrónico:", "Remitido por:", "NHC:": a short field label right before a colon.
_LABEL = re.compile(r"(?:^|(?<=[.;|,:])\s*|\s{2,})([^\s:.;|,][^\n:.;|,]{0,30}):", re.MULTILINE)
_HONORIFIC = re.compile(r"(?i)^(?:dr|dra|dña|dª|d|sr|sra|srta|prof|profa|don|doña)\.?$")
# Lowercase words that join the parts of one name: "Centro Nacional de Microbiología de Majadahonda".
_JOINERS = frozenset({"de", "del", "la", "las", "los", "el", "y", "e", "i", "d'", "da", "do", "dos", "das"})
_PAREN = re.compile(r"\(([^()\n]{3,200})\)")
_PLACE_ENTITIES = frozenset({"LOCATION", "COUNTRY", "POSTAL_CODE"})
# Kinship words, es / ca / gl / eu ("mujer", "dona", "muller" are left out: they also mean the sex).
_KIN_WORDS = (
    "madre padre padres esposa esposo marido hijo hija hijos hijas hermano hermana hermanos hermanas"
    " abuelo abuela abuelos abuelas tío tía tíos tías primo prima primos primas sobrino sobrina sobrinos"
    " sobrinas nieto nieta nietos nietas pareja novio novia cónyuge paterna materna paterno materno"
    " paternos maternos gemelo gemela gemelos gemelas mellizo melliza suegro suegra cuñado cuñada yerno"
    " nuera padrastro madrastra"
    " mare pare pares marit fill filla fills filles germà germana germans germanes avi àvia avis oncle"
    " tia tiet tieta cosí cosina nebot neboda nét néta parella sogre sogra gendre"
    " nai pai pais fillo fillos fillas irmán irmá irmáns irmás avó avoa avós curmán curmá"
    " sobriño sobriña neto neta netos netas sogro"
    " ama aita gurasoak anaia arreba ahizpa neba seme alaba senarra emaztea aitona amona osaba izeba"
    " lehengusua iloba biloba"
)
_KIN = re.compile(
    r"(?<!\w)(?:" + "|".join(sorted(set(_KIN_WORDS.split()), key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
# Special categories of personal data (GDPR art. 9) that describe the patient: ethnic origin and
# sexual orientation. "negra" or "blanca" alone are colours ("heces negras", "sustancia blanca"): only
# after "raza" or a word for the person.
_SPECIAL = re.compile(
    r"(?<!\w)(?:(?:raza|etnia|ètnia|origen étnico)\s+\w+"
    r"|caucásic[oa]s?|caucasian[oa]s?|subsahariana?s?|subsahariano|magrebís?|gitan[oa]s?|mestiz[oa]s?"
    r"|afroamerican[oa]s?|afrodescendientes?"
    r"|homosexual(?:es)?|heterosexual(?:es)?|bisexual(?:es)?|lesbianas?|transexual(?:es)?|transgénero)(?!\w)",
    re.IGNORECASE,
)

_COLOUR = re.compile(
    r"(?<!\w)(?:mujer|varón|hombre|paciente|niñ[oa]|dona|home|muller|pacient)\s+(negr[oa]|blanc[oa])(?!\w)",
    re.IGNORECASE,
)


def _lines(text: str) -> Iterator[tuple[int, int]]:
    offset = 0
    for line in text.split("\n"):
        yield offset, offset + len(line)
        offset += len(line) + 1


def _contact_tokens(text: str, detections: list[Detection]) -> list[tuple[int, int]]:
    tokens: list[tuple[int, int]] = []
    for start, end in _lines(text):
        if end - start > MAX_CONTACT_LINE:
            continue
        kinds = {
            d.entity for d in detections if d.start >= start and d.end <= end and d.entity in CONTACT_ENTITIES
        }
        if len(kinds) < MIN_CONTACT_KINDS:
            continue
        words = [w for w in text[start:end].split() if w.isalpha() and w not in _JOINERS]
        if words and sum(w[0].islower() for w in words) / len(words) > MAX_LOWERCASE_SHARE:
            continue
        labels = [(m.start(1), m.end(1)) for m in _LABEL.finditer(text, start, end)]
        for match in _TOKEN.finditer(text, start, end):
            word = match.group().rstrip(".")  # the full stop ends the sentence, not the name
            if not any(ch.isupper() or ch.isdigit() for ch in word) or _HONORIFIC.match(word):
                continue
            if text.startswith(":", match.end()) or any(
                a <= match.start() and match.end() <= b for a, b in labels
            ):
                continue  # a field label ("NºCol:", "Correo electrónico:")
            tokens.append((match.start(), match.start() + len(word)))
    return tokens


def _parenthesis_tokens(text: str, detections: list[Detection]) -> list[tuple[int, int]]:
    tokens: list[tuple[int, int]] = []
    for paren in _PAREN.finditer(text):
        if not any(
            d.entity in _PLACE_ENTITIES and paren.start() <= d.start and d.end <= paren.end()
            for d in detections
        ):
            continue
        items = list(re.finditer(r"[^,;]+", paren.group(1)))
        for item in items[1:]:
            base = paren.start(1) + item.start()
            for match in _TOKEN.finditer(item.group()):
                if match.group()[0].isupper():
                    tokens.append((base + match.start(), base + match.end()))
    return tokens


def residual_detections(
    text: str, detections: list[Detection], rules: Sequence[Rule] = ALL_RULES
) -> list[Detection]:
    """Residual spans to mask besides `detections` (which they never overlap), in text order.

    Neighbouring tokens of the same kind merge into one span when only spaces or name joiners ("de",
    "y") lie between them, so "Centro Nacional de Microbiología" is one placeholder, not four.
    """
    taken = bytearray(len(text))
    for d in detections:
        taken[d.start : d.end] = b"\x01" * (d.end - d.start)
    kin = {(m.start(), m.end()) for m in _KIN.finditer(text)} if "relatives" in rules else set()
    found = set(kin)
    if "contact" in rules:
        found |= set(_contact_tokens(text, detections))
    if "parentheses" in rules:
        found |= set(_parenthesis_tokens(text, detections))
    if "special" in rules:
        found |= {(m.start(), m.end()) for m in _SPECIAL.finditer(text)}
        found |= {m.span(1) for m in _COLOUR.finditer(text)}
    tokens = sorted(
        (s, e, RELATIVE_ENTITY if (s, e) in kin else RESIDUAL_ENTITY) for s, e in found if not any(taken[s:e])
    )
    spans: list[tuple[int, int, str]] = []
    for start, end, entity in tokens:
        if spans and start < spans[-1][1]:  # the same token found by two rules
            last_start, last_end, last_entity = spans[-1]
            spans[-1] = (last_start, max(end, last_end), last_entity)
            continue
        if spans and spans[-1][2] == entity:
            last_start, last_end, _ = spans[-1]
            gap = text[last_end:start]
            words = gap.split()
            joinable = "\n" not in gap and len(words) <= 2 and all(w in _JOINERS for w in words)
            if joinable and not any(taken[last_end:start]):
                spans[-1] = (last_start, end, entity)
                continue
        spans.append((start, end, entity))
    return [Detection(s, e, entity, 0.5, text[s:e], RESIDUAL_SOURCE) for s, e, entity in spans]


def with_residual(
    text: str, detections: list[Detection], rules: Sequence[Rule] = ALL_RULES
) -> list[Detection]:
    """`detections` plus the residual spans of `rules`, in text order."""
    if not rules:
        return detections
    extra = residual_detections(text, detections, rules)
    return sorted(detections + extra, key=lambda d: d.start) if extra else detections
