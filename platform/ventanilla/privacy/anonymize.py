"""Anonymization with presidio-anonymizer: typed placeholders, redaction or hashing, per domain policy.

`anonymize_text` masks one text (placeholders consistent within the text, or within a conversation when
a vault is passed); `pseudonymize` / `restore` are the reversible pair of the ask flow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from ventanilla.privacy.engine import Detection, anonymizer, detect
from ventanilla.privacy.entities import ALL_ENTITIES, tag_of
from ventanilla.privacy.residual import Rule, with_residual
from ventanilla.privacy.vault import Vault, restore

Operator = Literal["placeholder", "redact", "hash"]
NAME_ENTITIES = ("PERSON", "HEALTH_PROFESSIONAL", "RELATIVE")

# Public office holders keep their names in court decisions and legislation (keep_public_names):
# a name next to one of these offices is not masked. es / ca / gl / eu forms.
_OFFICES = (
    r"President[ea]?|Vicepresident[ea]?|Magistrad[oa]s?|Ponente|Fiscal|Letrad[oa] de la Administraci[oó]n"
    r"|Secretari[oa] de Justicia|Ministr[oa]|Consejer[oa]|Conseller[a]?|Conselleir[oa]|Alcalde(?:sa)?"
    r"|Director[a]? General|Delegad[oa] del Gobierno|Defensor[a]? del Pueblo|Abogad[oa] del Estado"
    r"|Jueza?|Sind[ií]c[oa]?|Síndic|Lehendakari|Sailburu|Alkate|Presidenta?|Rei|Rey|Reina"
)
_OFFICE = re.compile(rf"\b(?:{_OFFICES})\b", re.IGNORECASE)
_OFFICE_AFTER = re.compile(rf"^[\s,]{{1,3}}(?:{_OFFICES})\b", re.IGNORECASE)
# Between the office and the name: a list of office holders, not a party ("promovido por", "contra").
_PARTY_CUE = re.compile(
    r"promovid|interpuest|formulad|represent|asistid|defendid|contra\b|demand|recurrent"
    r"|acusad|procurador|abogad[oa](?! del estado)",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"\n|\.\s+(?=[A-ZÁÉÍÓÚ])")


@dataclass(frozen=True)
class Masked:
    text: str
    detections: list[Detection]
    replacements: list[str]


def is_public_office_holder(text: str, detection: Detection) -> bool:
    """A name right before an office ("X, presidenta") or in a list that an office opens, in the same
    sentence ("compuesto por la magistrada doña A, presidenta, y los magistrados don B, doña C")."""
    if _OFFICE_AFTER.search(text[detection.end : detection.end + 60]):
        return True
    before = text[max(0, detection.start - 500) : detection.start]
    cuts = list(_BOUNDARY.finditer(before))
    sentence = before[cuts[-1].end() :] if cuts else before
    offices = list(_OFFICE.finditer(sentence))
    if not offices:
        return False
    return not _PARTY_CUE.search(sentence[offices[-1].end() :])


def anonymize_text(
    text: str,
    entities: tuple[str, ...] | list[str] | None = None,
    operator: Operator = "placeholder",
    vault: Vault | None = None,
    keep_public_names: bool = False,
    residual: Sequence[Rule] = (),
) -> Masked:
    """Mask the personal data in `text` with presidio-anonymizer's engine.

    `residual` names the residual-masking rules (`ventanilla.privacy.residual`): leftover tokens of
    contact lines, manufacturer parentheses, relatives by role, special categories; the domain
    policy for case documents, none for questions. Without the `relatives` rule a relative named only
    by role ("sus hijos") is left in the text, whoever found it: it identifies nobody and is the
    subject of many tax rules.
    """
    wanted = tuple(entities) if entities else ALL_ENTITIES
    detections = detect(text, wanted)
    if "relatives" not in residual:
        detections = [d for d in detections if not _role_only(d)]
    detections = with_residual(text, detections, residual)
    return apply_detections(text, detections, operator, vault, keep_public_names)


def apply_detections(
    text: str,
    detections: list[Detection],
    operator: Operator = "placeholder",
    vault: Vault | None = None,
    keep_public_names: bool = False,
) -> Masked:
    """Replace already detected spans (non-overlapping, as `detect` returns them)."""
    if keep_public_names:
        detections = [
            d for d in detections if d.entity not in NAME_ENTITIES or not is_public_office_holder(text, d)
        ]
    if not detections:
        return Masked(text, [], [])
    vault = vault if vault is not None else Vault()
    replacement_of: dict[tuple[int, int], str] = {}
    for d in detections:  # numbered in reading order
        replacement_of[(d.start, d.end)] = vault.placeholder(tag_of(d.entity), d.text)
    operators: dict[str, OperatorConfig] = {}
    for entity in {d.entity for d in detections}:
        if operator == "redact":
            operators[entity] = OperatorConfig("replace", {"new_value": f"<{tag_of(entity)}>"})
        elif operator == "hash":
            operators[entity] = OperatorConfig("hash", {"hash_type": "sha256"})
        else:
            operators[entity] = OperatorConfig("custom", {"lambda": _lookup(tag_of(entity), vault)})
    result = anonymizer().anonymize(
        text=text,
        analyzer_results=[RecognizerResult(d.entity, d.start, d.end, d.score) for d in detections],
        operators=operators,
        merge_entities_with_spaces=False,  # "28013 Madrid" stays two placeholders
    )
    items = sorted(result.items, key=lambda i: i.start)
    return Masked(result.text, detections, [i.text for i in items])


def _lookup(tag: str, vault: Vault):  # type: ignore[no-untyped-def]
    return lambda original: vault.placeholder(tag, original)


# What a question loses before retrieval, generation, logs and audit: whatever identifies a person.
# Places, dates, ages, institutions and hospitals stay: they carry the legal meaning of most questions
# ("¿qué impuesto de sucesiones se aplica en Cataluña?") and identify nobody on their own.
QUESTION_ENTITIES: tuple[str, ...] = (
    "PERSON",
    "HEALTH_PROFESSIONAL",
    "RELATIVE",
    "ES_NIF",
    "ES_NIE",
    "ES_CIF",
    "ES_NSS",
    "ES_HEALTH_CARD",
    "IBAN_CODE",
    "PHONE_NUMBER",
    "FAX_NUMBER",
    "EMAIL_ADDRESS",
    "STREET_ADDRESS",
    "POSTAL_CODE",
    "CAR_PLATE",
    "MEDICAL_RECORD",
    "MEDICAL_LICENSE",
    "HEALTH_INSURANCE_ID",
    "ENCOUNTER_ID",
    "EMPLOYEE_ID",
)


def pseudonymize(
    text: str, lang: str = "es", vault: Vault | None = None, entities: tuple[str, ...] = QUESTION_ENTITIES
) -> tuple[str, Vault]:
    """Replace personal data with typed placeholders; the vault maps them back (`restore`).

    Pass the conversation's vault to keep placeholders consistent across turns. `lang` is part of the
    ask flow's signature; the recognizers cover es/ca/eu/gl at once.
    """
    vault = vault if vault is not None else Vault()
    masked = anonymize_text(text, entities, "placeholder", vault=vault)
    return masked.text, vault


def _role_only(detection: Detection) -> bool:
    """A relative named only by role ("mis hijos", "el cónyuge") identifies nobody, and tax rulings,
    court decisions and questions need the word; "mi hermana María" has a name and is masked."""
    return detection.entity == "RELATIVE" and not any(ch.isupper() for ch in detection.text)


def pseudonymize_for_audit(text: str, lang: str = "es") -> str:
    """What an audit record or a log line may hold: the text with placeholders, no vault kept."""
    return pseudonymize(text, lang)[0]


__all__ = [
    "QUESTION_ENTITIES",
    "Masked",
    "anonymize_text",
    "pseudonymize",
    "pseudonymize_for_audit",
    "restore",
]
