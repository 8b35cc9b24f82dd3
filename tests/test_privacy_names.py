"""Names in running text (questions above all): the given-name gazetteer and the name cues."""

from __future__ import annotations

import pytest

from ventanilla.privacy.anonymize import pseudonymize, restore
from ventanilla.privacy.names import given_names

QUESTIONS = [
    ("¿Puede Juan Pérez García deducir la compra de vivienda?", "Pérez García"),
    ("¿Qué tratamiento sigue la paciente Lucía Fernández con diabetes tipo 2?", "Lucía Fernández"),
    ("¿Puede el médico ver el historial de Pedro Martín?", "Pedro Martín"),
    ("Quiero saber si Ana Belén Castro puede acceder a la historia clínica de su padre.", "Belén Castro"),
    ("El señor Ramírez Luque presentó un recurso de alzada; ¿qué plazo tiene?", "Ramírez Luque"),
    ("Em dic Jordi Puig i vull presentar la declaració de la renda.", "Jordi Puig"),
    ("La Montse Vilaró Soler té cita al CAP?", "Vilaró Soler"),
    ("Chámome Xosé Manuel Otero e quero solicitar unha axuda.", "Otero"),
    ("Nire izena Ane Etxeberria da eta laguntza behar dut.", "Etxeberria"),
    ("My name is John Smith and I need to file a complaint.", "John Smith"),
    ("Hola, soy Lucía. ¿Cómo pido cita?", "Lucía"),
    ("¿Tiene que declarar Rosa Mª Pérez la herencia?", "Pérez"),
    # A lone given name in running text, in each language.
    ("¿Puede Carmen pedir la baja por cuidado de un familiar?", "Carmen"),
    ("Si María no paga la multa, ¿qué pasa?", "María"),
    ("Juan y Pedro heredaron la casa de su padre.", "Pedro"),
    ("La Núria ha de presentar la renda?", "Núria"),
    ("Xoán non pagou o IBI a tempo.", "Xoán"),
    ("Mikel ez da etorri kontsultara.", "Mikel"),
    ("Can John appeal the fine?", "John"),
    ("Nombre: Estela.\nApellidos: Vidal.", "Estela"),
]


@pytest.mark.parametrize(("question", "name"), QUESTIONS)
def test_a_name_in_a_question_never_reaches_retrieval(question: str, name: str) -> None:
    masked, vault = pseudonymize(question)
    assert name not in masked, masked
    assert restore(masked, vault) == question


@pytest.mark.parametrize(
    "question",
    [
        "¿Qué dice la Ley General de Sanidad sobre el Hospital San Juan de Dios?",
        "¿Dónde está el Centro de Salud Virgen de la Paz en Madrid?",
        "¿Qué competencias tiene la Dirección General de Salud Pública?",
        "Leo El País cada día: ¿me deduzco la suscripción?",
    ],
)
def test_places_and_institutions_named_after_people_stay(question: str) -> None:
    assert pseudonymize(question)[0] == question


@pytest.mark.parametrize(
    "text",
    [
        "Dolores abdominales de tres días. Clara mejoría tras el tratamiento.",
        "Ingresa en el Hospital Virgen del Rocío y después en el Hospital del Pilar.",
        "El Instituto Carlos III financia el estudio; el rey Felipe VI lo visitó.",
        "Se realizó ileostomía según técnica de Brooke; signo de Vincent negativo.",
        "Líquido libre en el saco de Douglas. Drenaje tipo Blake.",
        "Infección por Cándida albicans. Del resto, sin hallazgos.",
        "b) Sean representativos de fondos propios. a) Concepción del régimen. Marco normativo.",
        'Ayudas por la borrasca "Filomena"; sucesión a la Corona; ante el notario Don Pedro.',
    ],
)
def test_lone_given_names_that_are_words_eponyms_or_places_stay(text: str) -> None:
    from ventanilla.privacy.names import GivenNameRecognizer

    assert GivenNameRecognizer().analyze(text, ["PERSON"]) == []


def test_the_gazetteer_covers_the_four_languages_and_leaves_out_common_words() -> None:
    names = given_names()
    for name in ("Juan", "Lucía", "Jordi", "Montserrat", "Xosé", "Uxía", "Ane", "Iker", "John"):
        assert name in names, name
    for word in ("Salud", "Reyes", "Cruz", "Paz", "Santiago", "Mayo"):
        assert word not in names, word


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Remitido por: Dra.  Felicidad Sanantonio Valdearcos", "Felicidad Sanantonio Valdearcos"),
        ("Responsable: DR. Tomás Ferrer Vidal", "Tomás Ferrer Vidal"),
    ],
)
def test_a_doctor_title_makes_a_professional_whatever_its_spacing_or_case(text: str, name: str) -> None:
    from ventanilla.privacy.recognizers import TitledNameRecognizer

    found = TitledNameRecognizer().analyze(text, ["PERSON", "HEALTH_PROFESSIONAL"])
    assert [(text[r.start : r.end], r.entity_type) for r in found] == [(name, "HEALTH_PROFESSIONAL")]
