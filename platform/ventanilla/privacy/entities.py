"""The entity catalogue: presidio entity names, their typed placeholders and MEDDOCAN categories.

Presidio entity names are what `domain.yaml` (`pii.entities`) and the analyzer speak; placeholders are
what the index, the model and the audit store see (`<PERSONA_1>`); MEDDOCAN categories are what the
evaluation scores. The NER model is trained with MEDDOCAN labels and mapped here, one to one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EntityType:
    name: str  # presidio entity name
    tag: str  # placeholder tag: <TAG_n>
    meddocan: str  # MEDDOCAN category used for evaluation
    description: str


_CATALOGUE = (
    # Found by the NER model (MEDDOCAN labels), some also by pattern recognizers.
    EntityType("PERSON", "PERSONA", "NOMBRE_SUJETO_ASISTENCIA", "name of the patient or citizen"),
    EntityType(
        "HEALTH_PROFESSIONAL", "PROFESIONAL", "NOMBRE_PERSONAL_SANITARIO", "name of a health professional"
    ),
    EntityType("RELATIVE", "FAMILIAR", "FAMILIARES_SUJETO_ASISTENCIA", "relative of the patient"),
    EntityType("AGE", "EDAD", "EDAD_SUJETO_ASISTENCIA", "age"),
    EntityType("SEX", "SEXO", "SEXO_SUJETO_ASISTENCIA", "sex of the patient"),
    EntityType("DATE_TIME", "FECHA", "FECHAS", "date"),
    EntityType("STREET_ADDRESS", "DIRECCION", "CALLE", "street address"),
    EntityType("LOCATION", "LUGAR", "TERRITORIO", "town, province, region or postal code"),
    EntityType("COUNTRY", "PAIS", "PAIS", "country"),
    EntityType("HOSPITAL", "HOSPITAL", "HOSPITAL", "hospital"),
    EntityType("HEALTH_CENTRE", "CENTRO_SALUD", "CENTRO_SALUD", "primary-care health centre"),
    EntityType("INSTITUTION", "INSTITUCION", "INSTITUCION", "institution or organisation"),
    EntityType("MEDICAL_RECORD", "HISTORIA_CLINICA", "ID_SUJETO_ASISTENCIA", "clinical record number (NHC)"),
    EntityType("HEALTH_INSURANCE_ID", "ID_ASEGURAMIENTO", "ID_ASEGURAMIENTO", "insurance or health card id"),
    EntityType("MEDICAL_LICENSE", "COLEGIADO", "ID_TITULACION_PERSONAL_SANITARIO", "colegiado number"),
    EntityType("ENCOUNTER_ID", "ID_EPISODIO", "ID_CONTACTO_ASISTENCIAL", "episode or encounter id"),
    EntityType("EMPLOYEE_ID", "ID_EMPLEO", "ID_EMPLEO_PERSONAL_SANITARIO", "employee id of a professional"),
    EntityType("PHONE_NUMBER", "TELEFONO", "NUMERO_TELEFONO", "phone number"),
    EntityType("FAX_NUMBER", "FAX", "NUMERO_FAX", "fax number"),
    EntityType("EMAIL_ADDRESS", "EMAIL", "CORREO_ELECTRONICO", "e-mail address"),
    EntityType("PROFESSION", "PROFESION", "PROFESION", "profession of the patient"),
    EntityType("OTHER_PERSONAL", "OTRO_DATO", "OTROS_SUJETO_ASISTENCIA", "other identifying detail"),
    # Pattern recognizers only (validated identifiers).
    EntityType("ES_NIF", "DNI", "ID_SUJETO_ASISTENCIA", "DNI/NIF (check letter)"),
    EntityType("ES_NIE", "NIE", "ID_SUJETO_ASISTENCIA", "NIE (check letter)"),
    EntityType("ES_CIF", "CIF", "OTROS_SUJETO_ASISTENCIA", "CIF/NIF of a legal person (check digit)"),
    EntityType("ES_NSS", "NSS", "ID_ASEGURAMIENTO", "Social Security number (check digits)"),
    EntityType("ES_HEALTH_CARD", "TARJETA_SANITARIA", "ID_ASEGURAMIENTO", "health card code (CIP/TSI)"),
    EntityType("IBAN_CODE", "IBAN", "OTROS_SUJETO_ASISTENCIA", "IBAN (mod-97 checksum)"),
    EntityType("POSTAL_CODE", "CODIGO_POSTAL", "TERRITORIO", "postal code"),
    EntityType("CAR_PLATE", "MATRICULA", "OTROS_SUJETO_ASISTENCIA", "car number plate"),
)

ENTITIES: dict[str, EntityType] = {e.name: e for e in _CATALOGUE}
BY_MEDDOCAN_LABEL: dict[str, str] = {
    e.meddocan: e.name for e in _CATALOGUE[:22]
}  # NER label -> presidio entity (one to one)
ALL_ENTITIES: tuple[str, ...] = tuple(ENTITIES)


def tag_of(entity: str) -> str:
    known = ENTITIES.get(entity)
    return known.tag if known else entity


def meddocan_of(entity: str) -> str:
    known = ENTITIES.get(entity)
    return known.meddocan if known else entity
