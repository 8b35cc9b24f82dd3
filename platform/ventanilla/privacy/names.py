"""Person names from a gazetteer of given names: what the NER cannot learn from MEDDOCAN.

MEDDOCAN's patients are named only in form fields ("Nombre: Juan") and its doctors after a title, so
the NER trained on it finds those and misses a name in running text: "¿Puede Juan Pérez García deducir
la vivienda?", "Em dic Jordi Puig", "la historia clínica de Pedro Martín" reached retrieval unmasked.
A known given name followed by one to three capitalized words (the surnames) is a person, in any
context. A lone given name ("¿Puede Carmen pedir la baja?") is one too, unless a capitalized word
before it makes it part of a proper noun ("Hospital del Pilar", "Instituto Carlos III"), or it opens
a sentence and is also an ordinary word ("Dolores abdominales", "Clara mejoría", "Máximo"), or it
follows a clinical eponym head ("técnica de Brooke", "saco de Douglas") or a storm ("la borrasca
«Filomena»"). After a name field ("Nombre: Estela") it is always a name.

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
     "Valencia", "Granada", "Toledo", "Elche", "Lorca", "Jaén", "Palma", "Del", "Cándida", "Corona", "Don"}
)  # fmt: skip
# Given names that are also ordinary words: alone at the start of a sentence they are the word
# ("Dolores abdominales", "Clara mejoría", "Máximo 5 días"). The Hunspell dictionaries cannot tell:
# they accept "juan" and "maría" in lowercase.
_COMMON_WORD_NAMES_TEXT = (
    "Alba Amparo Ángel Angel Aurora Azucena Blanca Candela Caridad Clara Consuelo Dolores Esperanza"
    " Estrella Flor Gloria Inmaculada Margarita Mercedes Milagros Nieves Paloma Perla Pilar Remedios"
    " Rocío Rosa Rosario Socorro Soledad Victoria Violeta Asunción Concepción Encarnación Purificación"
    " Natividad Angustias Sagrario Amado Bienvenido Casto Fausto Jacinto Jesús Máximo Modesto Salvador"
    " Santos Sereno Urbano Cándido Inocencio Primitivo Plácido Prudencio Celestino Benigno Feliciano"
    " Adoración Alma Amada Amador Amor Anunciación Armando Amando Ascensión Aura Bienvenida Candelas"
    " Celestina Concha Coral Custodia Custodio Dulce Emperatriz Encarna Esmeralda Estela Flora Gala"
    " Gracia Jade Lance Linda Lino Luna Marina Marino Martirio Máxima Modesta Morena Moreno Norma"
    " Pacífica Pastor Pastora Piedad Pía Pío Primitiva Prudencia Rico Salomé Sierra Silvestre Tecla"
    " Tara Tina Visitación Felicidad Cesar Ester Dan Sean Marco"
    " Glòria Mercè Neus Roser Pau Estrela Neves Xoia Will May Mark Bill Grant Hope Faith Joy Rose Summer"
    " Amber Chase Hunter Jack Gene Guy Ray Dale Carol Dawn April June Iris Holly Ivy Ruby Crystal"
    " Sky Lane Brooke Heather Pearl Penny Destiny Harmony Melody Autumn Trinity Miles Earl Frank Rich"
    " Drew Lee Wade Cliff Glen Dean Rob Pat Sue Gay Sandy Misty Rusty Buck Cole Clay Mason"
)
_COMMON_WORD_NAMES = frozenset(_COMMON_WORD_NAMES_TEXT.split())
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
# One capitalized word of a name: "Pérez", "Núria", "Martínez-Valls", "Sant'Anna", "Gil·la".
NAME_WORD = r"[A-ZÁÉÍÓÚÑÇ][a-záéíóúñçàèòïü'·\-]+"
_WORD = rf"(?!(?:{_NOT_SURNAME})\b){NAME_WORD}"
# A name after a cue (a title, "mi madre", "de nombre"): one to four capitalized words and particles.
CUED_NAME = rf"(?:{NAME_WORD})(?:\s+(?:(?:de|del|la|i|y|e)\s+)?{NAME_WORD}){{0,3}}"
_JOIN = r"(?:de|del|de la|de los|i|y|e)"
# The single words of _PLACE_BEFORE, checked before a lone given name ("Virgen del Carmen").
_PLACE_WORDS = frozenset(
    w.replace("\\", "") for item in _PLACE_BEFORE.split("|") for w in item.split()[-1:]
) - {"de"} | {"Virgen", "Señora", "Niño"}
# Clinical eponyms: "técnica de Brooke", "signo de Vincent", "saco de Douglas", "bacilos Ziehl".
_EPONYM_HEADS_TEXT = (
    "signo signos síndrome enfermedad técnica saco maniobra test prueba escala criterio criterios"
    " clasificación método reflejo fórmula tinción bacilo bacilos células fractura quiste hernia"
    " ligamento conducto trompa arteria ganglio nódulo úlcera operación incisión sonda punto línea"
    " espacio fosa cápsula glándula membrana tumor linfoma sarcoma índice puntuación grado tipo"
    " acueducto protocolo borrasca tormenta huracán ciclón"
)
_EPONYM_HEADS = frozenset(_EPONYM_HEADS_TEXT.split())
# The word before a lone given name, skipping the particles of a compound proper noun.
_BEFORE_LONE = regex.compile(r"(\S+)\s+(?:(?:de|del|de la|de los|dels|da|do|d')\s+)?$")
# What may come right before the first word of a sentence; ")" ends a list marker ("a) Concepción").
_SENTENCE_OPENERS = frozenset('.!?;:\n¿¡"“«([)')
_QUOTES = "\"“«'"
_NAME_FIELD = regex.compile(r"(?i)\b(?:nombre|nom|nome|izena|name|paciente|pacient)\s*:\s*$")


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


@functools.cache
def _lone_pattern() -> regex.Pattern[str]:
    names = "|".join(sorted(given_names(), key=len, reverse=True))
    # Not followed by a capitalized word or a regnal number: that is a full name or "Carlos III".
    return regex.compile(rf"(?<![\w.·'\-])(?:{names})(?![\w'·\-])(?!\s+(?:[IVXL]+\b|[A-ZÁÉÍÓÚÑÇ]))")


def _opens_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 80) : start].rstrip(" \t")  # a window: documents can be long
    if not before:
        return start <= 80 or not text[:start].strip()
    return before[-1] in _SENTENCE_OPENERS


def _lone_name_is_person(text: str, start: int, end: int) -> bool:
    """A lone given name at `start:end` is a person, not part of a proper noun or a common word."""
    window = max(0, start - 60)
    if _NAME_FIELD.search(text, window, start):  # "Nombre: Estela" is a name whatever else it means
        return True
    # A quoted name is judged by the word before the quotes: 'la borrasca "Filomena"'.
    prefix = text[window:start].rstrip(" \t")
    quoted = prefix.rstrip(_QUOTES)
    before = _BEFORE_LONE.search(quoted + " " if quoted != prefix else text[window:start])
    if before is not None:
        word = before.group(1).lstrip('¿¡"“«(')
        if word in _PLACE_WORDS or word.lower() in _EPONYM_HEADS:
            return False
    if _opens_sentence(text, start):
        return text[start:end] not in _COMMON_WORD_NAMES
    if before is None:
        return True
    # A capitalized word before it, unless it only opens the sentence ("¿Puede Carmen…"), makes the
    # name part of a proper noun ("Instituto Carlos", "Colegio Virgen del Carmen").
    return not (word[:1].isupper() and not _opens_sentence(text, window + before.start(1)))


def _lone_names(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    found = []
    for m in _lone_pattern().finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        if _lone_name_is_person(text, m.start(), m.end()):
            found.append((m.start(), m.end()))
    return found


class GivenNameRecognizer(EntityRecognizer):
    """PERSON: a known given name followed by one to three capitalized surnames, or alone."""

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
        full = [(m.start(), m.end()) for m in _pattern().finditer(text)]
        spans = full + _lone_names(text, full)
        return [RecognizerResult("PERSON", s, e, SCORE, explanation) for s, e in sorted(spans)]
