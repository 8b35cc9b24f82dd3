"""Span refinement: conventions the NER does not always follow, applied to its resolved spans.

The NER learns MEDDOCAN's annotation conventions from 500 documents and still breaks a few of them in
ways a rule states exactly. Each rule below was checked against the gold spans of MEDDOCAN's train
split (none of them removes or cuts a gold span there) before it was measured on dev:

- **durations are not ages**: "desde hace 2 años", "cada 6 meses", "un cuadro de 2 meses de
  evolución", "9 meses después" (0 of 1,035 gold ages in train have these words around them);
- **field labels are not names**: "Localidad/ Provincia:" at the start of a line;
- **"médico de familia" is a profession**, not a relative;
- **titles are not part of a name**: "Doctor Pablo Garrido Abad" → "Pablo Garrido Abad";
- **a name ends where a department or organisation begins**: "Victoria Ramos Medina Instituto de
  Medicina Legal" → "Victoria Ramos Medina" (the rest is left to the NER's other spans and to
  residual masking);
- **a name does not run across "?" or "!"**: the NER, reading a question, may join the end of one
  sentence to the name that opens the next;
- **a "name" headed by an organisation word is an institution**: "Consejo de Transparencia", and in
  Basque, where the head comes last, "Gobernu Oneko Kontseilua" (which the NER, trained on Spanish,
  read as a professional's name in a question, masking the body the citizen asked about).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ventanilla.privacy.engine import Detection

_AGE_BEFORE = re.compile(
    r"(?i)\b(?:hace|cada|durante|lleva|llevaba|tras|después de|desde hace|en los últimos|por espacio de"
    r"|al cabo de|de evolución de|fa|durant|despois de)\s+(?:(?:unos|unas|más de|menos de"
    r"|aproximadamente|casi)\s+)?$"
)
_AGE_AFTER = re.compile(
    r"(?i)\s+(?:de evolución|después|antes|más tarde|de seguimiento|de tratamiento|libre|de duración|tras"
    r"|d'evolució|després|abans|despois)\b"
)
_LABEL_AFTER = re.compile(r"[ \t]*(?:/[ \t]*[^\W\d][\w ]{0,20})?:")
_FAMILY_DOCTOR = re.compile(r"(?i)\b(?:médic[oa]|medicina|metge|metgessa|médico/a)\s+de\s+$")
_TITLE = re.compile(r"^(?:Doctora?|Dra?\.|DRA?\.|Dña\.|D\.ª|Don|Doña|Prof\.|Profa\.)\s*")
_ORG_WORD = re.compile(
    r"\s+(?:Servicio|Servivio|Servei|Instituto|Institut|Unidad|Unitat|Residente|Departamento|Departament"
    r"|Sección|Secció|Hospital|Clínica|Centro|Centre|Fundación|Fundació|Universidad|Universitat)\b"
)

_ORG_HEAD_FIRST = re.compile(
    r"(?:Consejo|Consell|Consello|Comisión|Comissió|Agencia|Agència|Axencia|Ministerio|Ministeri"
    r"|Tribunal|Juzgado|Jutjat|Xulgado|Defensor|Síndic|Sindicatura|Valedor|Dirección|Direcció"
    r"|Consejería|Conselleria|Consellería|Ayuntamiento|Ajuntament|Concello|Diputación|Diputació"
    r"|Deputación|Junta|Generalitat|Xunta|Gobierno|Govern|Goberno|Parlamento|Parlament|Audiencia"
    r"|Audiència|Fiscalía|Fiscalia|Oficina|Registro|Registre|Agrupación|Asociación|Associació)\b"
)
_ORG_HEAD_LAST = re.compile(
    r"\b(?:kontseilua?|batzordea?|saila|agentzia|ministerioa|auzitegia|epaitegia|ogasuna|zerbitzua"
    r"|institutua|ospitalea|erakundea|elkartea|fundazioa|unibertsitatea|udala|aldundia|legebiltzarra"
    r"|gobernua|parlamentua|bulegoa|zuzendaritza|sailburuordetza)$",
    re.IGNORECASE,
)

_NAMES = frozenset({"PERSON", "HEALTH_PROFESSIONAL"})
_NAME_PART = re.compile(r"[^\s?!¿¡](?:[^?!¿¡]*[^\s?!¿¡])?")


def refine(text: str, detections: list[Detection]) -> list[Detection]:
    """`detections` with the conventions above applied, in text order."""
    refined: list[Detection] = []
    for d in detections:
        if d.entity == "AGE" and (
            _AGE_BEFORE.search(text, max(0, d.start - 40), d.start) or _AGE_AFTER.match(text, d.end)
        ):
            continue
        if d.entity in _NAMES | {"RELATIVE"} and _is_field_label(text, d):
            continue
        if (
            d.entity == "RELATIVE"
            and d.text.lower() == "familia"
            and _FAMILY_DOCTOR.search(text, max(0, d.start - 30), d.start)
        ):
            continue
        if d.entity not in _NAMES:
            refined.append(d)
            continue
        for part in _split_at_sentence_marks(d):
            part = _trim_name(part)
            if _ORG_HEAD_FIRST.match(part.text) or _ORG_HEAD_LAST.search(part.text):
                part = replace(part, entity="INSTITUTION")
            refined.append(part)
    return refined


def _split_at_sentence_marks(d: Detection) -> list[Detection]:
    """A name does not run across "?" or "!": "Kontseilua? Ane Etxeberria" is two spans."""
    parts = []
    for m in _NAME_PART.finditer(d.text):
        parts.append(replace(d, start=d.start + m.start(), end=d.start + m.end(), text=m.group()))
    return parts


def _is_field_label(text: str, d: Detection) -> bool:
    line_start = text.rfind("\n", 0, d.start) + 1
    return not text[line_start : d.start].strip() and _LABEL_AFTER.match(text, d.end) is not None


def _trim_name(d: Detection) -> Detection:
    start, value = d.start, d.text
    title = _TITLE.match(value)
    if title and title.end() < len(value):
        start, value = start + title.end(), value[title.end() :]
    cut = _ORG_WORD.search(value)
    if cut and len(value[: cut.start()].split()) >= 2:
        value = value[: cut.start()]
    if (start, value) == (d.start, d.text):
        return d
    return replace(d, start=start, end=start + len(value), text=value)
