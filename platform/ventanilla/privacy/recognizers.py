"""Presidio recognizers for Spanish public-service data, with check-digit validation where one exists.

Context words come in Spanish, Catalan, Basque and Galician; presidio matches them as substrings of the
lower-cased words around a match (the NLP engine sets each token's lemma to its lower-case form).
Identifiers whose check digits fail are not reported (`validate_result` returns False).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts

from ventanilla.privacy import validators as v
from ventanilla.privacy.names import CUED_NAME, NAME_WORD, GivenNameRecognizer

LANGUAGE = "es"  # one multilingual recognizer set; see engine.py

CONTEXT = {
    "ES_NIF": ["dni", "nif", "documento", "identidad", "document", "identitat", "nortasun", "agiria", "nan"],
    "ES_NIE": ["nie", "extranjero", "estranger", "atzerritar", "estranxeiro", "identidad", "identitat"],
    "ES_CIF": ["cif", "nif", "sociedad", "empresa", "entidad", "entitat", "enpresa", "sozietate", "entidade"],
    "ES_NSS": [
        "seguridad social",
        "seguretat social",
        "gizarte segurantza",
        "seguridade social",
        "nss",
        "afiliación",
        "afiliació",
        "afiliazio",
        "afiliación",
    ],
    "ES_HEALTH_CARD": [
        "cip",
        "tsi",
        "tarjeta sanitaria",
        "targeta sanitària",
        "osasun txartel",
        "tarxeta sanitaria",
        "sip",
        "cipa",
        "tis",
    ],
    "IBAN_CODE": ["iban", "cuenta", "compte", "kontu", "conta", "bancaria", "bancària", "banku", "bancaria"],
    "PHONE_NUMBER": [
        "teléfono",
        "telefono",
        "tel",
        "tlf",
        "móvil",
        "movil",
        "telèfon",
        "mòbil",
        "telefonoa",
        "mugikor",
        "teléfono",
        "móbil",
        "contacto",
        "contacte",
        "harremana",
    ],
    "FAX_NUMBER": ["fax", "telefax", "faxa"],
    "EMAIL_ADDRESS": [
        "email",
        "e-mail",
        "correo",
        "correu",
        "posta elektroniko",
        "helbide elektroniko",
        "enderezo",
    ],
    "POSTAL_CODE": [
        "cp",
        "c.p",
        "código postal",
        "codi postal",
        "posta kode",
        "posta-kode",
        "código postal",
        "postal",
    ],
    "CAR_PLATE": [
        "matrícula",
        "matricula",
        "vehículo",
        "vehicle",
        "ibilgailu",
        "vehículo",
        "coche",
        "cotxe",
        "auto",
        "matrikula",
    ],
    "MEDICAL_RECORD": [
        "nhc",
        "historia",
        "història",
        "historial",
        "historia clínica",
        "nhc",
        "hc",
        "ehc",
        "clinic history",
        "historia kliniko",
    ],
    "MEDICAL_LICENSE": [
        "colegiado",
        "col·legiat",
        "col.legiat",
        "colexiado",
        "elkargokide",
        "col",
        "nºcol",
        "colegiada",
        "col·legiada",
        "colexiada",
    ],
}


class ValidatedPatternRecognizer(PatternRecognizer):
    """A pattern recognizer whose matches must pass a check-digit function."""

    def __init__(
        self,
        entity: str,
        patterns: list[Pattern],
        check: Callable[[str], bool],
        context: list[str] | None = None,
        checksum: bool = True,
    ) -> None:
        # checksum=True: a passing check proves the identifier (presidio then scores it 1.0);
        # checksum=False: the check only rules out implausible matches and keeps the pattern's score.
        self._check = check
        self._checksum = checksum
        super().__init__(
            supported_entity=entity,
            patterns=patterns,
            context=context if context is not None else CONTEXT.get(entity, []),
            supported_language=LANGUAGE,
            name=f"Ventanilla{entity.title().replace('_', '')}Recognizer",
            # Case matters (capitalised names, upper-case ID letters); patterns opt in with (?i).
            global_regex_flags=re.DOTALL | re.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        ok = self._check(pattern_text)
        if not ok:
            return False
        return True if self._checksum else None


# Numbers in words (es; ca/gl share most digits-first forms): ages written out ("dos meses de edad").
NUMBER_WORDS = (
    r"un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce|trece|catorce|quince|dieciséis"
    r"|diecisiete|dieciocho|diecinueve|veinte|veinti[a-zé]+|treinta|cuarenta|cincuenta|sesenta|setenta"
    r"|ochenta|noventa"
)


def _p(name: str, regex: str, score: float) -> Pattern:
    return Pattern(name=name, regex=regex, score=score)


def _dates_valid(text: str) -> bool:
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})", text)
    if m:
        return v.valid_date(int(m[1]), int(m[2]), int(m[3]) if len(m[3]) == 4 else None)
    return True


MONTHS = (
    "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
    "gener|febrer|març|maig|juny|juliol|setembre|desembre|"  # ca (abril, agost, octubre, novembre)
    "agost|novembre|xaneiro|febreiro|marzo|maio|xuño|xullo|outubro|decembro|"  # gl
    "urtarril|otsail|martxo|apiril|maiatz|ekain|uztail|abuztu|irail|urri|azaro|abendu"  # eu (+ -aren)
)


def pattern_recognizers() -> list[EntityRecognizer]:
    """Every pattern recognizer, each with its validation where one exists."""
    b = r"(?<![\w-])"  # left word boundary that also refuses a hyphen
    e = r"(?![\w-])"
    return [
        ValidatedPatternRecognizer(
            "ES_NIF",
            [
                _p("dni", rf"{b}(?:\d{{8}}|\d{{2}}\.\d{{3}}\.\d{{3}})[\s\-]?[A-Za-z]{e}", 0.6),
                _p("nif-klm", rf"{b}[KLM]\d{{7}}[A-Z]{e}", 0.5),
            ],
            v.valid_dni,
        ),
        ValidatedPatternRecognizer(
            "ES_NIE", [_p("nie", rf"{b}[XYZxyz][\s\-]?\d{{7}}[\s\-]?[A-Za-z]{e}", 0.6)], v.valid_nie
        ),
        ValidatedPatternRecognizer(
            "ES_CIF",
            [_p("cif", rf"{b}[ABCDEFGHJNPQRSUVW][\s\-]?\d{{7}}[\s\-]?[0-9A-J]{e}", 0.5)],
            v.valid_cif,
        ),
        ValidatedPatternRecognizer(
            "ES_NSS", [_p("nss", rf"{b}\d{{2}}[\s/\-]?\d{{7,8}}[\s/\-]?\d{{2}}{e}", 0.3)], v.valid_nss
        ),
        ValidatedPatternRecognizer(
            "IBAN_CODE",
            [
                _p(
                    "iban",
                    rf"{b}[A-Z]{{2}}\d{{2}}(?:[\s\-]?[A-Z0-9]{{4}}){{2,7}}(?:[\s\-]?[A-Z0-9]{{1,4}})?{e}",
                    0.5,
                )
            ],
            v.valid_iban,
        ),
        ValidatedPatternRecognizer(
            "ES_HEALTH_CARD",
            # Regional codes have no public check-digit algorithm: the score relies on context words.
            [
                _p("cip-ca", rf"{b}[A-Z]{{4}}\s?\d\s?\d{{6}}\s?\d{{3}}{e}", 0.3),
                _p("cip-an", rf"{b}AN\d{{10}}{e}", 0.4),
                _p("cip-sns", rf"{b}[A-Z]{{4}}\d{{12}}{e}", 0.3),
                _p("tsi", rf"{b}[A-Z]{{2}}\d{{8,10}}[A-Z]?{e}", 0.05),
            ],
            lambda s: True,
            checksum=False,
        ),
        SpanishPhoneRecognizer(),
        ValidatedPatternRecognizer(
            "EMAIL_ADDRESS",
            [
                _p(
                    "email",
                    r"(?<![\w.+\-])[\w.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,24}(?![\w\-])",
                    1.0,
                )
            ],
            lambda s: ".." not in s,
            checksum=False,
        ),
        ValidatedPatternRecognizer(
            "POSTAL_CODE",
            [
                _p("cp-labelled", rf"(?i:(?<=\bC\.?\s?P\.?\s?:?\s?)|(?<=postal:?\s)){b}\d{{5}}{e}", 0.9),
                # followed by a town ("28905 Getafe", "E-41013. Sevilla": the "E-" is part of the code, as
                # MEDDOCAN marks it) or right after one in a letterhead ("Valencia 46010 FAX")
                _p(
                    "cp-town",
                    rf"(?:\bE-|{b})(?:0[1-9]|[1-4]\d|5[0-2])\d{{3}}(?=\s*[,.\-]?\s*[A-ZÁÉÍÓÚ][a-zà-ÿ])",
                    0.5,
                ),
                _p(
                    "town-cp",
                    r"(?<=\b[A-ZÁÉÍÓÚ][a-zà-ÿ]{2,}[ \t])(?:0[1-9]|[1-4]\d|5[0-2])\d{3}"
                    r"(?=[ \t]+[A-Z]{2,}\b|[.,]?\n)",
                    0.5,
                ),
                _p("cp", rf"{b}(?:0[1-9]|[1-4]\d|5[0-2])\d{{3}}{e}", 0.05),
            ],
            lambda s: v.valid_postal_code(s.removeprefix("E-")),
            checksum=False,
        ),
        ValidatedPatternRecognizer(
            "CAR_PLATE",
            [
                _p("plate", rf"{b}\d{{4}}[\s\-]?[BCDFGHJKLMNPRSTVWXYZ]{{3}}{e}", 0.5),
                _p("plate-old", rf"{b}[A-Z]{{1,2}}[\s\-]\d{{4}}[\s\-][A-Z]{{1,2}}{e}", 0.4),
            ],
            v.valid_plate,
            checksum=False,
        ),
        ValidatedPatternRecognizer(
            "DATE_TIME",
            [
                _p("numeric", rf"{b}\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:\d{{4}}|\d{{2}}){e}", 0.6),
                _p("iso", rf"{b}\d{{4}}-\d{{2}}-\d{{2}}{e}", 0.6),
                _p(
                    "long",
                    rf"(?i){b}\d{{1,2}}\s+(?:de\s+|d')?(?:{MONTHS})\s+(?:de\s+|del\s+)?\d{{4}}{e}",
                    0.7,
                ),
                _p(
                    "eu",
                    rf"(?i){b}\d{{4}}(?:ko|eko)\s+(?:{MONTHS})(?:aren|ren)\s+\d{{1,2}}(?:a|an)?{e}",
                    0.7,
                ),
            ],
            _dates_valid,
            checksum=False,
            context=["fecha", "data", "eguna", "nacimiento", "naixement", "jaiotze", "nacemento", "ingreso"],
        ),
        ValidatedPatternRecognizer(
            "AGE",
            [
                _p(
                    "age",
                    r"(?i)(?<!\w)\d{1,3}\s?(?:años|año|anys|any|anos|urte|urteko|meses|mesos)(?!\w)",
                    0.3,
                ),
                # "a los 19 días de vida", "hasta los dos meses de edad", "cuando tenía 12 años": an age
                # by its wording (14 of 21 in MEDDOCAN train; the rest are relatives' ages, which the
                # NER, outranking patterns, reads as relatives), with the number in words too.
                _p(
                    "age_of_life",
                    rf"(?i)(?:(?<=\blos )|(?<=\bten[ií]a ))(?:\d{{1,3}}|{NUMBER_WORDS})\s"
                    r"(?:días|semanas|meses|años)(?=\s+de\s+(?:vida|edad)\b)"
                    rf"|(?<=\bten[ií]a )(?:\d{{1,3}}|{NUMBER_WORDS})\s(?:meses|años)(?!\w)",
                    0.6,
                ),
            ],
            lambda s: int("".join(ch for ch in s if ch.isdigit())[:3] or 0) <= 120,
            checksum=False,
            context=[
                "edad",
                "edat",
                "adina",
                "idade",
                "paciente",
                "pacient",
                "gaixo",
                "varón",
                "mujer",
                "home",
                "dona",
                "emakume",
                "gizon",
                "muller",
                "nena",
                "niño",
                "nen",
            ],
        ),
        ValidatedPatternRecognizer(
            "MEDICAL_RECORD",
            [
                _p(
                    "nhc",
                    r"(?i)(?<=\b(?:NHC|N\.?H\.?C\.?|historia\s+cl[ií]nica|hist[oò]ria\s+cl[ií]nica|HC|EHC)"
                    r"(?:\s*(?:n[ºo°]|núm\.?|número|num\.?))?\s*[:.]?\s*)\d[\d\-./ ]{3,14}\d(?!\w)",
                    0.85,
                )
            ],
            lambda s: True,
            checksum=False,
        ),
        ValidatedPatternRecognizer(
            "MEDICAL_LICENSE",
            [
                _p(
                    "colegiado",
                    r"(?i)(?<=\b(?:N[ºo°]\s*Col|Col(?:egiad[oa]|·legiad[ao]|\.legiad[ao]|exiad[oa])?"
                    r"|elkargokide)\.?(?:\s*(?:n[ºo°]|núm\.?|número|zk\.?))?\s*[:.]?\s*)"
                    r"\d{2}[\s\-]?\d{2}[\s\-]?\d{5}(?!\w)",
                    0.85,
                )
            ],
            v.valid_colegiado,
            checksum=False,
        ),
        ValidatedPatternRecognizer(
            "HOSPITAL",
            [
                _p(
                    "hospital",
                    r"(?<!\w)(?:Hospital|Hospitalea|Complejo\s+Hospitalario|Complexo\s+Hospitalario|"
                    r"Clínica|Clínic|Policlínica)(?:\s+(?:[A-ZÁÉÍÓÚÑÇ][\w'·\-]+|de|del|la|las|los|"
                    r"i|y|d'|e|Universitario|Universitari|Universitario))+",
                    0.3,
                )
            ],
            lambda s: len(s.split()) >= 2,
            checksum=False,
            context=[
                "ingres",
                "atendid",
                "derivad",
                "remitid",
                "traslad",
                "servicio",
                "servei",
                "zerbitzu",
                "servizo",
            ],
        ),
        ValidatedPatternRecognizer(
            "HEALTH_CENTRE",
            [
                _p(
                    "centre",
                    r"(?<!\w)(?:Centro\s+de\s+Salud|Centre\s+d'Atenció\s+Primària|CAP|Centro\s+de\s+Saúde|"
                    r"Osasun\s+Zentroa|Ambulatorio|Consultorio)(?:\s+(?:[A-ZÁÉÍÓÚÑÇ][\w'·\-]+|de|del|la|"
                    r"i|y|d'))+",
                    0.3,
                )
            ],
            lambda s: len(s.split()) >= 2,
            checksum=False,
            context=[
                "médico",
                "metge",
                "medikua",
                "atención",
                "atenció",
                "arreta",
                "centro",
                "centre",
                "zentro",
            ],
        ),
        ValidatedPatternRecognizer(
            "STREET_ADDRESS",
            [
                _p(
                    "street",
                    r"(?<!\w)(?:[Cc]alle|C/|Avda\.|Avenida|Av\.|Plaza|Pza\.|Paseo|Pº|Camino|Carretera|"
                    r"Ronda|Travesía|Carrer|Avinguda|Passeig|Plaça|Rúa|Praza|Estrada|Travesa|Kalea|"
                    r"Etorbidea|Plaza|Enparantza)\s+(?:[\wÁÉÍÓÚÑÇáéíóúñç'·\-]+\s?){1,6},?\s*(?:n[ºo°]\s*)?"
                    r"\d{1,4}(?:\s*[,\-]?\s*(?:\d{1,2}[º°ª]?\s?[A-Za-z]?|[A-Za-z])\b)?",
                    0.6,
                ),
                # Basque puts the street type after the name: "Begiristain Doktorea Pasealekua, 109".
                _p(
                    "street_eu",
                    r"(?<!\w)(?:[A-ZÁÉÍÓÚÑ][\wáéíóúñ'\-]*\s+){1,4}(?:[Kk]alea|[Pp]asealekua|[Ee]torbidea"
                    r"|[Hh]iribidea|[Ee]nparantza|[Zz]umardia|[Ee]rrepidea)(?:,?\s*\d{1,4}(?:\s*[,\-]?\s*\d{1,2}[º°ª.]?"
                    r"(?:\s?[A-Za-z])?\b)?)?",
                    0.6,
                ),
            ],
            lambda s: True,
            checksum=False,
        ),
        TitledNameRecognizer(),
        RelativeNameRecognizer(),
        PossessedRelativeRecognizer(),
        GivenNameRecognizer(),
    ]


def _explain(recognizer: EntityRecognizer, score: float) -> AnalysisExplanation:
    return AnalysisExplanation(recognizer=str(getattr(recognizer, "name", "")), original_score=score)


class SpanishPhoneRecognizer(EntityRecognizer):
    """Spanish landline and mobile numbers, with or without +34/0034; after "fax" they are FAX_NUMBER."""

    import regex as _re

    _PATTERN = _re.compile(
        r"(?<![\w+])(?:(?:\+|00)[ \t]?34[\s.\-]{0,2})?"
        r"(?:[6-9]\d{2}[\s.\-]?\d{3}[\s.\-]?\d{3}|[6-9]\d{2}[\s.\-]?\d{2}"
        r"[\s.\-]?\d{2}[\s.\-]?\d{2}|[89]\d[\s.\-]?\d{3}[\s.\-]?\d{2}[\s.\-]?\d{2})(?![\w])"
    )
    _FAX = _re.compile(r"(?i)\b(?:tele)?fax[a]?\b[^\n\d]{0,12}$")
    _BARE_PREFIX = _re.compile(r"(?<![\w+])34[ \t.\-]?$")  # "Tfno. 34-607819141": the prefix without "+"
    _EXTENSION = _re.compile(r"(?i)[ \t]*(?:ext|extensi[oó]n|extensió)\.?[ \t]*\d{1,5}\b")
    # A number right after its label is a phone number whatever the NER reads in it ("Tel.: 963 862
    # 500" is not a date): scored like a check-digit-validated identifier.
    _CUED = _re.compile(
        r"(?i)\b(?:tel[eéè]fono?s?|telefonoa|telf|tfno|tlfno|tlf|tel|m[oó]vils?|mugikorra)\b"
        r"[.:]?[ \t]*[:.]?[ \t]*$"
    )

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PHONE_NUMBER", "FAX_NUMBER"],
            supported_language=LANGUAGE,
            name="VentanillaSpanishPhoneRecognizer",
            context=CONTEXT["PHONE_NUMBER"] + CONTEXT["FAX_NUMBER"],
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for match in self._PATTERN.finditer(text):
            if not v.valid_spanish_phone(match.group()):
                continue
            extension = self._EXTENSION.match(text, match.end())
            end = extension.end() if extension else match.end()
            start = match.start()
            prefix = self._BARE_PREFIX.search(text, max(0, start - 4), start)
            if prefix and self._CUED.search(text[max(0, prefix.start() - 20) : prefix.start()]):
                start = prefix.start()
            entity = "FAX_NUMBER" if self._FAX.search(text[max(0, start - 20) : start]) else ("PHONE_NUMBER")
            if entity in entities:
                score = 0.7 if match.group().startswith(("+", "00")) else 0.5
                if entity == "FAX_NUMBER":
                    score = 0.9  # named as a fax right before the number
                elif self._CUED.search(text[max(0, start - 20) : start]):
                    score = 1.0
                results.append(RecognizerResult(entity, start, end, score, _explain(self, score)))
        return results


_DOCTOR_TITLE = re.compile(r"\b(?:Dr|Dra|DR|DRA)\.?[ \t]{1,3}$")


class TitledNameRecognizer(EntityRecognizer):
    """Names after a courtesy or professional title (Dr., Dra., D., Dña., Sr., Sra., señor, senyora, Don,
    Doña, Jn., And.)."""

    import regex as _re

    _PATTERN = _re.compile(
        rf"(?<=\b(?P<title>Dr\.|Dra\.|DR\.|DRA\.|Dr|Dra|D\.|Dña\.|Dª|Sr\.|Sra\.|Srta\.|Don|Doña|don|doña|En|Na|"
        rf"Sr|Sra|Jn\.|And\.|[Ss]eñor|[Ss]eñora|[Ss]eñorita|[Ss]enyor|[Ss]enyora|[Ss]enyoreta)"
        # initials may come first: "Dr. A. Parente Hernández"
        rf"[ \t]{{1,3}})(?:[A-ZÁÉÍÓÚÑ]\.[ \t]?){{0,2}}{CUED_NAME}"
    )

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSON", "HEALTH_PROFESSIONAL"],
            supported_language=LANGUAGE,
            name="VentanillaTitledNameRecognizer",
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for match in self._PATTERN.finditer(text):
            title = text[max(0, match.start() - 8) : match.start()]
            entity = "HEALTH_PROFESSIONAL" if _DOCTOR_TITLE.search(title) else "PERSON"
            if entity in entities:
                results.append(RecognizerResult(entity, match.start(), match.end(), 0.6, _explain(self, 0.6)))
        return results


class RelativeNameRecognizer(EntityRecognizer):
    """The name of a relative introduced with a possessive ("mi madre María López", "la meva germana
    Anna", "a miña nai Rosa") is a RELATIVE (MEDDOCAN's FAMILIARES_SUJETO_ASISTENCIA); any other name
    introduced as one ("de nombre Natalia Ontiveros", "soy Lucía", "se llama Rosa", "anomenada Anna", "chamada
    Uxía", "Miren izeneko") a PERSON: whatever type the NER gives it (`engine.resolve`). Citizens and
    clinicians write this in questions; the NER, trained on clinical case reports, may read the name
    as an institution."""

    import regex as _re

    _NAME = NAME_WORD
    _FULL_NAME = CUED_NAME
    _RELATIVE = _re.compile(
        r"(?<=\b(?i:mi|mis|su|sus|tu|tus|nuestr[oa]s?|vuestr[oa]s?|el meu|la meva|el seu|la seva|mon|ma|sa"
        r"|o meu|a miña|o seu|a súa|o teu|a túa)\s+(?i:madre|padre|hij[oa]|herman[oa]|espos[oa]|marido"
        r"|mujer|pareja|abuel[oa]|tí[oa]|prim[oa]|sobrin[oa]|niet[oa]|suegr[oa]|cuñad[oa]|mare|pare|fill"
        r"|filla|germà|germana|avi|àvia|marit|dona|parella|nai|pai|fillo|irmán|irmá|avó|avoa|muller"
        rf"|home)\s){_FULL_NAME}"
    )
    _NAMED = _re.compile(
        r"(?<=\b(?i:de nombre|con el nombre de|llamad[oa]|se llama|anomenat|anomenada|es diu|de nom"
        r"|chamad[oa]|chámase|de nome|soy|me llamo|mi nombre es|sóc|em dic|el meu nom és|chámome"
        rf"|o meu nome é|my name is|i am|i'm)\s){_FULL_NAME}"
        rf"|(?:{_NAME})(?:\s+{_NAME}){{0,3}}(?=\s+(?i:izeneko|izenekoa|izena\s+du)\b)"
    )

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSON", "RELATIVE"],
            supported_language=LANGUAGE,
            name="VentanillaRelativeNameRecognizer",
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        found = []
        for entity, pattern in (("RELATIVE", self._RELATIVE), ("PERSON", self._NAMED)):
            if entity in entities:
                found += [
                    RecognizerResult(entity, m.start(), m.end(), 0.6, _explain(self, 0.6))
                    for m in pattern.finditer(text)
                ]
        return found


class PossessedRelativeRecognizer(EntityRecognizer):
    """A relative named by a possessive and a kinship word: "su pareja", "sus padres", "la seva mare",
    "a súa nai", "bere ama". In MEDDOCAN train 39 of 46 such words are gold relatives (the rest are
    inside longer relative spans, which the NER, outranking this pattern, gives)."""

    import regex as _re

    _PATTERN = _re.compile(
        r"(?<=\b(?i:su|sus|mi|mis|tu|tus|nuestr[oa]s?|vuestr[oa]s?)\s)(?i:madre|padre|padres|hij[oa]s?"
        r"|herman[oa]s?|espos[oa]|marido|mujer|pareja|abuel[oa]s?|tí[oa]s?|prim[oa]s?|sobrin[oa]s?"
        r"|niet[oa]s?|suegr[oa]s?|cuñad[oa]s?|novi[oa]|cónyuge|familia|familiares)\b"
        r"|(?<=\b(?i:(?:el|la|els|les)\s(?:meu|meva|seu|seva|teu|teva|meus|meves|seus|seves)|mon|ma)\s)"
        r"(?i:mare|pare|pares|fill|filla|fills|filles|germà|germana|germans|germanes|avi|àvia|avis|marit"
        r"|dona|parella|oncle|tia|cosí|cosina|nebot|neboda|família)\b"
        r"|(?<=\b(?i:meu|miña|seu|súa|teu|túa|meus|miñas|seus|súas)\s)(?i:nai|pai"
        r"|pais|fillo|filla|fillos|fillas|irmán|irmá|irmáns|irmás|avó|avoa|avós|marido|muller|parella"
        r"|tío|tía|curmán|curmá|sobriño|sobriña|familia)\b"
        r"|(?<=\b(?i:nire|bere|zure|gure)\s)(?i:ama|aita|gurasoak|semea|alaba|anaia|arreba|ahizpa|neba"
        r"|aitona|amona|senarra|emaztea|bikotea|familia|osaba|izeba|lehengusua|iloba)\b"
    )

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["RELATIVE"], supported_language=LANGUAGE, name="VentanillaPossessedRelative"
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if "RELATIVE" not in entities:
            return []
        return [
            RecognizerResult("RELATIVE", m.start(), m.end(), 0.6, _explain(self, 0.6))
            for m in self._PATTERN.finditer(text)
        ]
