"""Person names from a gazetteer of given names: what the NER cannot learn from MEDDOCAN.

MEDDOCAN's patients are named only in form fields ("Nombre: Juan") and its doctors after a title, so
the NER trained on it finds those and misses a name in running text: "¿Puede Juan Pérez García deducir
la vivienda?", "Em dic Jordi Puig", "la historia clínica de Pedro Martín" reached retrieval unmasked.
A known given name followed by one to three capitalized words (the surnames) is a person, in any
context.

The given names come from Faker's person providers (MIT licence; es_ES, es_CA from Idescat, pt_PT for
Galician spellings, en_US), plus Basque, Galician and Catalan names and short forms ("Montse", "Paco")
Faker lacks, written for this project. Names that are also ordinary capitalized words or places in
public-service text (Salud, Reyes, Cruz, Paz, months, Santiago, Sevilla…) are left out, and a name
right after San/Santa/Virgen/Hospital/Calle… is part of a place, not a person.
"""

from __future__ import annotations

import functools

import regex
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

LANGUAGE = "es"
SCORE = 0.55

_EU_GL = (
    "Ane Miren Itziar Aitor Iker Unai Ainhoa Nerea Maite Josu Koldo Garazi Leire Amaia Oihane Jon Mikel"
    " Gorka Asier Ibai Eneko Ander Aritz Urko Julen Xabier Iñaki Iñigo Haizea Irati Uxue Nahia Izaro Oier"
    " Edurne Arantxa Arantza Begoña Idoia Nekane Itsaso Aiora Maialen Kepa Patxi Joseba Ekaitz Beñat"
    " Xosé Xoán Uxía Iago Brais Antía Breixo Sabela Iria Noa Xiana Xurxo Anxo Anxos Xacobe Roi Uxío Icía"
    " Olalla Lois Manuel Alexandre Tareixa Xulia Xoana Carme Rosalía Marcos Martiño Paulo Estevo Antón"
    # Catalan names Faker's short es_CA list lacks, and the usual short forms of Spanish names.
    " Montse Montserrat Núria Nuria Meritxell Mireia Laia Roser Pere Quim Xavi Jaume Jordina Queralt"
    " Ferran Oriol Gerard Berta Neus Mercè Eulàlia Assumpta Txema Chema Pepe Paco Lola Pili Maribel"
    " Marisa Merche Charo Conchi Toni Nacho Manolo Juanjo Mari Marisol Maite Tere Rafa Quique Fran"
)
# Capitalized words of public-service text that Faker also lists as given names.
_NOT_NAMES = frozenset(
    {"Salud", "Reyes", "Cruz", "Paz", "Luz", "Sol", "Mar", "Fe", "Justo", "Leal", "Severo", "Modesto",
     "Clemente", "Domingo", "Lunes", "Leo", "Abril", "Mayo", "Marzo", "Junio", "Julio", "Agosto", "Enero",
     "Febrero", "Octubre", "Noviembre", "Diciembre", "Santiago", "León", "Trinidad", "Sevilla",
     "Valencia", "Granada", "Toledo", "Elche", "Lorca", "Jaén", "Palma"}
)  # fmt: skip
_PLACE_BEFORE = (
    r"San|Santa|Sant|Santo|Sto\.|Sta\.|Virgen|Verge|Nuestra Señora|Ntra\.|Hospital|Hospitalario|Clínica"
    r"|Calle|C/|Avenida|Avda\.|Av\.|Plaza|Pza\.|Paseo|Carrer|Avinguda|Rúa|Praza|Colegio|Instituto|IES|CEIP"
    r"|Centro|Fundación|Ley|Decreto|Sala|Premio|Rey|Reina|Príncipe|Princesa|Infanta|Papa|Don Juan de"
)
# Capitalized words that follow a name in letterheads and addresses but are not surnames.
_NOT_SURNAME = (
    r"Código|Postal|Hospital|Calle|Servicio|Unidad|Centro|Universidad|Instituto|Avenida|Plaza|Paseo"
    r"|Teléfono|Tel|Tfno|Fax|Email|Correo|Departamento|Sección|Clínica|Residente|Médico|Doctor|Doctora"
)
_WORD = rf"(?!(?:{_NOT_SURNAME})\b)[A-ZÁÉÍÓÚÑÇ][a-záéíóúñçàèòïü'·\-]+"
_JOIN = r"(?:de|del|de la|de los|i|y|e)"


@functools.cache
def given_names() -> frozenset[str]:
    """Single-word given names (multi-word ones such as "José María" split), Faker's plus ours."""
    from faker.providers.person.en_US import Provider as English
    from faker.providers.person.es_CA import Provider as Catalan
    from faker.providers.person.es_ES import Provider as Spanish
    from faker.providers.person.pt_PT import Provider as Portuguese

    names: set[str] = set(_EU_GL.split())
    for provider in (Spanish, Catalan, Portuguese, English):
        for name in provider.first_names:
            names.update(w for w in str(name).split() if len(w) > 2)
    return frozenset(names - _NOT_NAMES)


@functools.cache
def _pattern() -> regex.Pattern[str]:
    names = "|".join(sorted(given_names(), key=len, reverse=True))
    return regex.compile(
        rf"(?<!(?:{_PLACE_BEFORE})\s+)(?<![\w.])(?:{names})(?:\s+(?:{names}|Mª|M\.ª|M\.))?"
        rf"(?:\s+(?:{_JOIN}\s+)?{_WORD}){{1,3}}(?!\w)"
    )


class GivenNameRecognizer(EntityRecognizer):
    """PERSON: a known given name followed by one to three capitalized surnames."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSON"], supported_language=LANGUAGE, name="VentanillaGivenName"
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        if "PERSON" not in entities:
            return []
        explanation = AnalysisExplanation(recognizer="VentanillaGivenName", original_score=SCORE)
        return [
            RecognizerResult("PERSON", m.start(), m.end(), SCORE, explanation)
            for m in _pattern().finditer(text)
        ]
