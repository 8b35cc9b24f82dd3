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
  "caucásico", "subsahariana") and sexual orientation ("homosexual"), as `<OTRO_DATO_n>`;
- **ages** in the forms that, in MEDDOCAN's train split, are a person's age ≥ 87 % of the time: a
  person word followed by "de N años/meses" ("padre de 30 años", "Niño de tres meses"; 98.7 %), "N
  días de vida / meses de edad" (100 %), "a los N años" not followed by an event ("a los 14 años", 87 %;
  "a los 3 meses de la cirugía" is a follow-up interval and stays), "tenía N años", "al mes de vida";
  as `<EDAD_n>`;
- **organisations** named in the narrative: a capitalized name headed by Instituto, Fundación,
  Asociación, Consejo, Universidad… ("Centro Nacional de Microbiología de Majadahonda"; 88 % inside a
  personal-data span in train) or ended by a company suffix ("KCI Clinic Spain SL", "Boston
  Scientific Co."), as `<INSTITUCION_n>`;
- **form fields** whose value is personal data whatever it looks like ("Domicilio: No, Balderas 49,
  Colonia Centro", "Localidad/ Provincia: Cdad. Real", "Ocupación: hogar", "NSS: 92-91-90-8443-1" with
  check digits that fail): the value up to the end of the line or the next field.

Residual spans are not scored as entities: they carry `source="residual"` (contact tokens and fields
the `OTHER_PERSONAL` placeholder, relatives `RELATIVE`, ages `AGE`, organisations `INSTITUTION`), and
the evaluation keeps them out of the entity scores (they only count in the leak and overmask rates).
The domain policy picks the rules (`pii.residual`; default contact + parentheses + fields: a tax
ruling's "hijos" and "cónyuge" are the law's subject and its companies are legal persons, so only the
health domain adds relatives, ages and organisations).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Literal

from ventanilla.privacy.engine import Detection
from ventanilla.privacy.recognizers import NUMBER_WORDS

RESIDUAL_ENTITY = "OTHER_PERSONAL"
RELATIVE_ENTITY = "RELATIVE"
AGE_ENTITY = "AGE"
ORGANISATION_ENTITY = "INSTITUTION"
RESIDUAL_SOURCE = "residual"

Rule = Literal["contact", "parentheses", "relatives", "special", "ages", "organisations", "fields"]
ALL_RULES: tuple[Rule, ...] = (
    "contact", "parentheses", "relatives", "special", "ages", "organisations", "fields"
)  # fmt: skip
# Relatives, ages and organisations only where the policy says (clinical cases).
DEFAULT_RULES: tuple[Rule, ...] = ("contact", "parentheses", "fields")

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
# Words that are also common Spanish ("pares craneales", "límites netos") count only after a Catalan or
# Galician determiner (`_KIN_AFTER_DETERMINER`); acronyms ("AMA", anti-mitochondrial antibodies) never.
_KIN_WORDS = (
    "madre padre padres esposa esposo marido hijo hija hijos hijas hermano hermana hermanos hermanas"
    " abuelo abuela abuelos abuelas tío tía tíos tías primo prima primos primas sobrino sobrina sobrinos"
    " sobrinas nieto nieta nietos nietas pareja novio novia cónyuge paterna materna paterno materno"
    " paternos maternos gemelo gemela gemelos gemelas mellizo melliza suegro suegra cuñado cuñada yerno"
    " nuera padrastro madrastra"
    " mare pare marit fill filla fills filles germà germana germans germanes avi àvia avis oncle"
    " tia tiet tieta cosí cosina nebot neboda nét néta parella sogre sogra gendre"
    " nai pai pais fillo fillos fillas irmán irmá irmáns irmás avó avoa avós curmán curmá"
    " sobriño sobriña sogro"
    " ama aita gurasoak anaia arreba ahizpa neba seme alaba senarra emaztea aitona amona osaba izeba"
    " lehengusua iloba biloba"
)
_KIN = re.compile(
    r"(?<!\w)(?:" + "|".join(sorted(set(_KIN_WORDS.split()), key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)
_KIN_AFTER_DETERMINER = re.compile(
    r"(?i)(?<!\w)(?:(?:els|sos|mos|tos)\s+(?:(?:seus|meus|teus|nostres|vostres)\s+)?(?P<ca>pares)"
    r"|(?:os|as|o|a)\s+(?:seus?|súas?|meus?|miñas?|teus?|túas?|nosos?|nosas?)\s+(?P<gl>net[oa]s?))(?!\w)"
)


def _kin_tokens(text: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _KIN.finditer(text) if not (m.group().isupper() and len(m.group()) > 1)]
    return spans + [
        m.span(g) for m in _KIN_AFTER_DETERMINER.finditer(text) for g in ("ca", "gl") if m.group(g)
    ]


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


# Ages. Numbers in digits or words, units of age.
_NUM = rf"(?:\d{{1,3}}(?:[.,]\d)?|{NUMBER_WORDS})"
_UNIT = r"(?:días?|semanas?|meses|mes|años?|dies|setmanes|mesos|anys?|anos)"
_YEARS = r"(?:años|anys|anos)"
_SP = r"[ \t]+"
_PERSON_WORDS = (
    r"niñ[oa]s?|varón|varones|mujer(?:es)?|hombres?|pacientes?|lactantes?|neonatos?|preescolar|escolar"
    r"|adolescentes?|madre|padres?|herman[oa]s?|hij[oa]s?|chic[oa]s?|joven|jóvenes|ancian[oa]s?|bebés?"
    r"|recién nacid[oa]|tí[oa]s?|abuel[oa]s?|espos[oa]|marido|cónyuge|pareja"
    r"|nena?|noi|noia|home|dona|pare|mare|fill|filla|germà|germana|pacient|neno|rapaz|rapaza|muller|pai|nai"
)
_ORDINAL = r"(?:primer|segundo|tercer|cuarto|quinto|sexto|séptimo|octavo|noveno|décimo)"
_AGE = re.compile(
    r"(?i)(?<!\w)(?:"
    # "padre de 30 años", "Niño de tres meses", "padres de 74 y 64 años" (up to two words between)
    rf"(?:{_PERSON_WORDS})(?:{_SP}[^\W\d]+){{0,2}}?{_SP}de{_SP}"
    rf"(?P<person>{_NUM}(?:{_SP}(?:y|e|o|i){_SP}{_NUM})?{_SP}{_UNIT})"
    # "19 días de vida", "seis meses de edad"
    rf"|(?P<life>{_NUM}{_SP}{_UNIT})(?={_SP}de{_SP}(?:vida|edad|edat))"
    # "a los 14 años", "hasta los 12 años" (years only: "a los 3 meses" is mostly a follow-up interval)
    rf"|(?:(?:a|hasta|desde|de){_SP}los|als|fins{_SP}als|aos|ata{_SP}os){_SP}"
    rf"(?P<years>{_NUM}{_SP}{_YEARS})(?!{_SP}(?:de|del|tras|després|despois){_SP}(?!edad|vida|edat))"
    rf"|(?:tenía|tiene|cumplir|cumplió|cumple|contaba con|tenia|tiña){_SP}(?P<had>{_NUM}{_SP}{_YEARS})"
    rf"|(?:al|el|del){_SP}(?P<month>(?:{_ORDINAL}{_SP})?(?:mes|año))(?={_SP}de{_SP}vida)"
    r")"
)
_AGE_GROUPS = ("person", "life", "years", "had", "month")

# Organisations: a capitalized name headed by an organisation word, or ended by a company suffix. A
# name word may end in a full stop only inside an abbreviation ("S.A", "Co."), not "Majadahonda. Allí".
_CAP = (
    r"(?!(?:E-?mail|Tel|Telf|Tfno|Fax|Correo|Email)\b)"
    r"(?:[A-ZÁÉÍÓÚÑÇ][\w®'’\-]*(?:\.(?=[,)\w]))?|[A-Z][a-z]?\.)"
)
_NAME_JOINER = r"(?:de|del|la|las|los|el|y|e|i|d'|para|en|contra)"
_ORG_HEADS = (
    r"Instituto|Institut|Centro Nacional|Centro de Investigación|Fundación|Fundació|Asociación|Associació"
    r"|Consejo|Consell|Universidad|Universitat|Sociedad|Societat|Organización|Agencia|Agència|Federación"
    r"|Confederación|Colegio|Ministerio|Consejería|Conselleria|Laboratorios?|Escuela|Facultad|Real Academia"
    r"|Cruz Roja|Ayuntamiento|Diputación|Junta de"
)
_COMPANY_SUFFIX = (
    r"S\.[ \t]?A\.(?:U\.)?|S\.[ \t]?L\.(?:U\.)?|SLU?|SAU?|Inc\.?|Ltd\.?|GmbH|Co\.|Corp\.?|Corporation|Company"
    r"|AG|Laboratories|Pharma|Pharmaceuticals"
)
_ORGANISATION = re.compile(
    rf"(?<!\w)(?:(?:{_ORG_HEADS})(?:{_SP}(?:{_NAME_JOINER}{_SP})*{_CAP})+"
    rf"|(?:{_CAP}{_SP}){{0,4}}{_CAP},?{_SP}(?:{_COMPANY_SUFFIX})(?!\w))"
)
# Form fields whose value is personal data. An address field's value runs to the end of the line or
# the next "Label:" (it holds full stops: "Cdad. Real"); an occupation ends at the first punctuation.
_ADDRESS_FIELD = re.compile(
    r"(?im)^[ \t]*(?:domicilio|dirección|direcció|enderezo|helbidea|localidad(?:[ \t]*/[ \t]*provincia)?"
    r"|provincia|municipio|localitat|localidade|udalerria)[ \t]*:[ \t]*"
    r"(?P<value>[^\n|:]{1,120}?)[ \t.]*(?=$|\||[ \t]+[A-ZÁÉÍÓÚ][\w/ ]{0,25}:)"
)
_OCCUPATION_FIELD = re.compile(
    r"(?i)(?<!\w)(?:ocupación|ocupació|profesión|professió|lanbidea)[ \t]*:[ \t]*(?P<value>[^\n|:.,;]{1,60})"
)

# An identifier after its label is masked even when its check digits fail ("NSS: 92-91-90-8443-1"):
# the detector does not report it as that ID (docs/privacy.md), but the label says it is one.
_ID_FIELD = re.compile(
    r"(?<![\w/])(?:NSS|NASS|NUSS|N[º°o]\.?[ \t]*S\.?[ \t]?S\.?|DNI|NIF|NIE|CIP(?:-SNS)?|TSI|NHC|TIS"
    r"|N[º°o]\.?[ \t]*(?:de[ \t]+)?(?:historia|HC)|tarjeta sanitaria|targeta sanitària)[ \t]*:[ \t]*"
    r"(?P<value>[A-Za-z0-9](?:[A-Za-z0-9]|[\-/.](?=[A-Za-z0-9])|[ ](?=\d)){2,30})"
)


def _age_tokens(text: str) -> list[tuple[int, int]]:
    return [m.span(g) for m in _AGE.finditer(text) for g in _AGE_GROUPS if m.group(g)]


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


def _free_parts(text: str, start: int, end: int, taken: bytearray) -> Iterator[tuple[int, int]]:
    """The parts of `start:end` no detection covers, trimmed of spaces, punctuation and name joiners,
    that still hold a word: an organisation whose town the NER already found keeps the rest."""
    i = start
    while i < end:
        while i < end and taken[i]:
            i += 1
        j = i
        while j < end and not taken[j]:
            j += 1
        s, e = i, j
        while s < e and not text[s].isalnum():
            s += 1
        while e > s and not (text[e - 1].isalnum() or text[e - 1] in "®.’'"):
            e -= 1
        words = list(re.finditer(r"\S+", text[s:e]))
        while words and words[-1].group().lower() in _JOINERS:  # "… Microbiología de" + a found town
            words.pop()
        while words and words[0].group().lower() in _JOINERS:
            words.pop(0)
        if words:
            yield s + words[0].start(), s + words[-1].end()
        i = j


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
    kinds: dict[tuple[int, int], str] = {}
    if "relatives" in rules:
        kinds.update({span: RELATIVE_ENTITY for span in _kin_tokens(text)})
    if "ages" in rules:
        kinds.update({span: AGE_ENTITY for span in _age_tokens(text)})
    if "organisations" in rules:
        kinds.update({m.span(): ORGANISATION_ENTITY for m in _ORGANISATION.finditer(text)})
    found = set(kinds)
    if "fields" in rules:
        for field in (_ADDRESS_FIELD, _OCCUPATION_FIELD, _ID_FIELD):
            found |= {m.span("value") for m in field.finditer(text) if m.group("value").strip()}
    if "contact" in rules:
        found |= set(_contact_tokens(text, detections))
    if "parentheses" in rules:
        found |= set(_parenthesis_tokens(text, detections))
    if "special" in rules:
        found |= {(m.start(), m.end()) for m in _SPECIAL.finditer(text)}
        found |= {m.span(1) for m in _COLOUR.finditer(text)}
    tokens = sorted(
        (s, e, kinds.get(span, RESIDUAL_ENTITY)) for span in found for s, e in _free_parts(text, *span, taken)
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
