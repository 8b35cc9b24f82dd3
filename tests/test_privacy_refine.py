"""Span refinement (`privacy/refine.py`): each convention alone, then through the real detector."""

from __future__ import annotations

import itertools

from ventanilla.privacy.engine import Detection, detect
from ventanilla.privacy.refine import refine


def _at(text: str, value: str, entity: str) -> Detection:
    start = text.index(value)
    return Detection(start, start + len(value), entity, 0.85, value, "ner")


def test_durations_are_not_ages_ages_stay() -> None:
    text = (
        "Varón de 53 años con un cuadro de 2 meses de evolución; operado desde hace 4 años, revisado cada "
        "6 meses y libre de enfermedad 9 meses después. Su hija de 20 años le acompaña. Sin recidiva tras "
        "un seguimiento de 7 años; refería que hacía 5 semanas. Feto de 690 g."
    )
    values = ("53 años", "2 meses", "4 años", "6 meses", "9 meses", "20 años", "7 años", "5 semanas", "690 g")
    found = [_at(text, v, "AGE") for v in values]
    assert [d.text for d in refine(text, found)] == ["53 años", "20 años"]


def test_field_labels_and_family_doctors_are_not_people() -> None:
    text = "Domicilio: Calle Mayor 3.\nLocalidad/ Provincia: Soria.\nLo remitió su médico de familia."
    found = [
        _at(text, "Localidad", "PERSON"),
        _at(text, "Soria", "LOCATION"),
        _at(text, "familia", "RELATIVE"),
    ]
    assert [d.text for d in refine(text, found)] == ["Soria"]
    kept = "La familia del paciente no autoriza la necropsia."
    assert refine(kept, [_at(kept, "familia", "RELATIVE")]) == [_at(kept, "familia", "RELATIVE")]


def test_titles_and_departments_are_cut_from_names() -> None:
    text = (
        "Remitido por: Doctora Marta García Torrelles. "
        "Responsable: Victoria Ramos Medina Instituto de Medicina Legal"
    )
    found = [
        _at(text, "Doctora Marta García Torrelles", "HEALTH_PROFESSIONAL"),
        _at(text, "Victoria Ramos Medina Instituto de Medicina Legal", "HEALTH_PROFESSIONAL"),
    ]
    assert [d.text for d in refine(text, found)] == ["Marta García Torrelles", "Victoria Ramos Medina"]
    for d in refine(text, found):
        assert text[d.start : d.end] == d.text
    alone = "Firmado: Doctor Pérez"  # a title and one word: the name is the title's
    assert refine(alone, [_at(alone, "Doctor Pérez", "PERSON")])[0].text == "Pérez"


def test_the_detector_applies_them() -> None:
    text = (
        "Mujer de 45 años con dolor de 2 meses de evolución.\nLocalidad/ Provincia: Zaragoza.\n"
        "Remitida por su médico de familia."
    )
    found = detect(text)
    assert any(d.entity == "AGE" and d.text == "45 años" for d in found), found
    assert not any(d.text in ("2 meses", "Localidad", "familia") for d in found), found


def test_a_relatives_name_is_a_relative() -> None:
    text = "Acude acompañada de su madre Carmen Ruiz y de su hermano Juan."
    found = {d.text: d.entity for d in detect(text)}
    assert found.get("Carmen Ruiz") == "RELATIVE" and found.get("Juan") == "RELATIVE", found


def test_a_name_headed_by_an_organisation_word_is_an_institution() -> None:
    text = (
        "Zer da Gardentasun eta Gobernu Oneko Kontseilua? ¿Y el Consejo de Transparencia? Lo firma Ana Ruiz."
    )
    found = [
        _at(text, "Gobernu Oneko Kontseilua", "HEALTH_PROFESSIONAL"),
        _at(text, "Consejo de Transparencia", "PERSON"),
        _at(text, "Ana Ruiz", "PERSON"),
    ]
    assert [(d.text, d.entity) for d in refine(text, found)] == [
        ("Gobernu Oneko Kontseilua", "INSTITUTION"),
        ("Consejo de Transparencia", "INSTITUTION"),
        ("Ana Ruiz", "PERSON"),
    ]


def test_a_question_keeps_the_body_it_asks_about_and_loses_the_name() -> None:
    from ventanilla.privacy.anonymize import pseudonymize

    masked, _ = pseudonymize("Zer da Gardentasun eta Gobernu Oneko Kontseilua? Ane Etxeberria naiz.")
    assert "Gobernu Oneko Kontseilua" in masked
    assert "Etxeberria" not in masked


def test_a_name_does_not_run_across_a_question_mark() -> None:
    text = "¿Quién es? Ana Ruiz García"
    parts = refine(text, [_at(text, "es? Ana Ruiz García", "PERSON")])
    assert [(d.text, d.start) for d in parts] == [("es", 7), ("Ana Ruiz García", 11)]


def test_listed_places_towns_and_provinces_and_postcodes_are_separate_places() -> None:
    text = (
        "C/ La Dehesa s/n. 24411 Ponferrada León. Localidad/ Provincia: San Lucas, Coyoacan. "
        "Maduravoyal, Chennai 600095. Altos de Nava, s/n 24071 Leon Fax 987 23 70 00. "
        "Vive en Ciudad Real y veranea en Nuevo León. Nació en Castilla y León; luego, Islas Baleares."
    )
    found = [
        _at(text, v, "LOCATION")
        for v in (
            "Ponferrada León",
            "San Lucas, Coyoacan",
            "Chennai 600095",
            "Leon Fax",
            "Ciudad Real",
            "Nuevo León",
            "Castilla y León",
            "Islas Baleares",
        )
    ]
    assert [d.text for d in refine(text, found)] == [
        "Ponferrada",
        "León",
        "San Lucas",
        "Coyoacan",
        "Chennai",
        "600095",
        "Leon",
        "Ciudad Real",
        "Nuevo León",
        "Castilla y León",
        "Islas Baleares",
    ]
    for d in refine(text, found):
        assert text[d.start : d.end] == d.text


def test_a_street_address_ends_before_its_postal_code_and_contact_words() -> None:
    text = (
        "Avda. del Puerto, 1-8º puerta 14 - 46021 Valencia. C/ Escuelas, 4-6 37500. "
        "C/ José Luis Gallo, 2. C.P"
    )
    found = [
        _at(text, "Avda. del Puerto, 1-8º puerta 14 - 46021", "STREET_ADDRESS"),
        _at(text, "C/ Escuelas, 4-6 37500", "STREET_ADDRESS"),
        _at(text, "C/ José Luis Gallo, 2. C.P", "STREET_ADDRESS"),
    ]
    assert [(d.text, d.entity) for d in refine(text, found)] == [
        ("Avda. del Puerto, 1-8º puerta 14", "STREET_ADDRESS"),
        ("46021", "POSTAL_CODE"),
        ("C/ Escuelas, 4-6", "STREET_ADDRESS"),
        ("37500", "POSTAL_CODE"),
        ("C/ José Luis Gallo, 2", "STREET_ADDRESS"),
    ]
    # A policy that masks streets but not postal codes keeps the code inside the address.
    kept = refine(text, found[:1], frozenset({"STREET_ADDRESS"}))
    assert [d.text for d in kept] == ["Avda. del Puerto, 1-8º puerta 14 - 46021"]


def test_a_name_typed_with_a_double_space_is_one_name() -> None:
    text = "Remitido por: Roberto Gallego  Pinazo. Apellidos: Miguel  Chamoy. Dr. Ruiz  Madrid"
    found = [
        _at(text, "Roberto Gallego", "HEALTH_PROFESSIONAL"),
        _at(text, "Pinazo", "LOCATION"),
        _at(text, "Miguel", "PERSON"),
        _at(text, "Chamoy", "PERSON"),
        _at(text, "Ruiz", "HEALTH_PROFESSIONAL"),
        _at(text, "Madrid", "STREET_ADDRESS"),
    ]
    assert [(d.text, d.entity) for d in refine(text, found)] == [
        ("Roberto Gallego  Pinazo", "HEALTH_PROFESSIONAL"),
        ("Miguel  Chamoy", "PERSON"),
        ("Ruiz", "HEALTH_PROFESSIONAL"),
        ("Madrid", "STREET_ADDRESS"),
    ]


def test_the_number_and_date_of_a_law_and_bare_punctuation_are_not_personal_data() -> None:
    text = "Según el RD 1299/2006, de 10 de noviembre. Sexo: :. Ingresó el 10 de noviembre de 2006."
    found = [
        _at(text, "1299", "DATE_TIME"),
        _at(text, "10", "AGE"),
        Detection(text.index(": :") + 2, text.index(": :") + 3, "SEX", 0.85, ":", "ner"),
        _at(text, "10 de noviembre de 2006", "DATE_TIME"),
    ]
    assert [d.text for d in refine(text, found)] == ["10 de noviembre de 2006"]


def test_a_runaway_span_is_cut_to_what_personal_data_can_be() -> None:
    text = (
        "Expansores (Mentor®, Johnson & Johnson, New Jersey, EE.UU.), de 350cc. En el hemitórax derecho la "
        "implantación del expansor se hizo en un plano retropectoral sin ninguna dificultad técnica."
    )
    start = text.index("EE.UU.")
    runaway = Detection(start, len(text), "COUNTRY", 0.85, text[start:], "ner")
    cut = [(d.text, d.entity) for d in refine(text, [runaway]) if d.start >= start]
    assert cut == [("EE.UU.", "COUNTRY")]
    long_relative = "La niña convive con un " + "tío paterno con su pareja en el mismo domicilio " * 3
    start = long_relative.index("tío")
    runaway = Detection(start, len(long_relative), "RELATIVE", 0.8, long_relative[start:], "ner")
    found = refine(long_relative, [runaway])
    assert [d.text for d in found] == ["tío paterno con"]


def test_e_mail_addresses_start_after_their_label_and_have_an_at_sign() -> None:
    text = "31008 Pamplona E-mail.hleonbrito@hotmail.com y Médico: Ana Ruiz"
    glued = _at(text, "E-mail.hleonbrito@hotmail.com", "EMAIL_ADDRESS")
    no_at = _at(text, "Ana Ruiz", "EMAIL_ADDRESS")  # the NER's reading of something else
    found = refine(text, [glued, no_at])
    assert [(d.text, d.entity) for d in found] == [
        ("hleonbrito@hotmail.com", "EMAIL_ADDRESS"),
        ("Ana Ruiz", "OTHER_PERSONAL"),  # still masked
    ]


def test_country_names_are_whole() -> None:
    text = "Vive en EE. UU. desde 2010; nació en Heredia, Costa Rica (topógrafo Baush and Lomb, U.S.A.)."
    found = refine(
        text,
        [_at(text, "EE", "COUNTRY"), _at(text, "Costa", "COUNTRY"), _at(text, "Rica", "LOCATION"),
         Detection(text.index("U.S.A."), text.index("U.S.A.") + 1, "LOCATION", 0.85, "U", "ner")],
    )  # fmt: skip
    assert [(d.text, d.entity) for d in found] == [
        ("EE. UU.", "COUNTRY"),
        ("Costa Rica", "COUNTRY"),
        ("U.S.A.", "COUNTRY"),
    ]
    town = "Calle San Martín, 3"  # a place cut short is not completed to a country ("San Marino")
    assert refine(town, [_at(town, "San", "LOCATION")])[0].text == "San"


def test_organisations_end_where_their_street_begins() -> None:
    text = (
        "Servicio de Neumología Hospital de Pontevedra Loureiro Crespo, 2 36002 Pontevedra. "
        "Universidad de Málaga Boulevard Louis Pasteur, 32. 29071 Málaga."
    )
    found = refine(
        text,
        [_at(text, "Hospital de Pontevedra Loureiro Crespo", "HOSPITAL"),
         _at(text, "Boulevard Louis Pasteur", "INSTITUTION")],
    )  # fmt: skip
    assert [(d.text, d.entity) for d in found] == [
        ("Hospital de Pontevedra", "HOSPITAL"),
        ("Loureiro Crespo, 2", "STREET_ADDRESS"),
        ("Boulevard Louis Pasteur, 32", "STREET_ADDRESS"),
    ]
    for d in found:
        assert text[d.start : d.end] == d.text
    postcode = "Hospital La Princesa Diego de León, 28006 Madrid"  # a postal code is not a house number
    whole = _at(postcode, "Hospital La Princesa Diego de León", "HOSPITAL")
    assert refine(postcode, [whole]) == [whole]
    hospital = _at(text, "Hospital de Pontevedra Loureiro Crespo", "HOSPITAL")
    not_asked = refine(text, [hospital], frozenset({"HOSPITAL"}))
    assert [d.text for d in not_asked] == ["Hospital de Pontevedra Loureiro Crespo"]


def test_phone_numbers_after_their_label_whatever_the_ner_reads() -> None:
    text = (
        "Avda. Gaspar Aguilar, 90 - 46017 Valencia Tel.: 963 862 500 E-mail: jp@yahoo.es\n"
        "Centralita 986413144 ext 1530. Tfno. 34-607819141. Llame al +34 945007000."
    )
    found = {(d.text, d.entity) for d in detect(text)}
    assert ("963 862 500", "PHONE_NUMBER") in found, found  # the NER alone reads a date in it
    assert ("986413144 ext 1530", "PHONE_NUMBER") in found, found
    assert ("34-607819141", "PHONE_NUMBER") in found, found
    assert ("34 945007000", "PHONE_NUMBER") in found, found  # the "+" is not part of it


def test_manufacturers_in_parentheses_are_institutions_and_their_towns_places() -> None:
    text = (
        "Se pautó prednisona (Dacortin 30 mg, Merck, Barcelona) y un expansor (Allergan®, Irvine, "
        "California, EE.UU.); el OCT (Stratus OCT; Carl Zeiss Meditec, Dublin, CA) y un monitor (Ohio "
        "Medical Instrument Co, Inc., Cincinnati, Oh, USA). Vive en (Madrid, España) con (VHB, VHC)."
    )
    found = {(d.text, d.entity) for d in detect(text)}
    for expected in [
        ("Merck", "INSTITUTION"),
        ("Barcelona", "LOCATION"),
        ("Allergan", "INSTITUTION"),  # without the trade mark sign
        ("Irvine", "LOCATION"),
        ("California", "LOCATION"),
        ("EE.UU.", "COUNTRY"),
        ("Carl Zeiss Meditec", "INSTITUTION"),  # not the person the given-name gazetteer reads
        ("Dublin", "LOCATION"),
        ("CA", "LOCATION"),
        ("Ohio Medical Instrument Co", "INSTITUTION"),  # "Inc." is the company form, not the maker
        ("Cincinnati", "LOCATION"),
    ]:
        assert expected in found, (expected, found)
    products = ("Dacortin 30 mg", "Stratus OCT", "Inc.", "VHB", "VHC")
    assert not any(value in products for value, _ in found), found


def test_dates_are_whole() -> None:
    text = (
        "Nueva TC (30/01/02), en la que se constata la masa. Fallece el 21 de febrero de 2002. La primera "
        "serie se realizó entre Marzo y Abril de 2000; valorado en septiembre del año 2000. Consultas del "
        "16/10/2016 y 09/12/2016."
    )
    found = [d.text for d in detect(text) if d.entity == "DATE_TIME"]
    assert found == [
        "30/01/02",
        "21 de febrero de 2002",
        "Marzo y Abril de 2000",
        "septiembre del año 2000",
        "16/10/2016",  # two dates with their years stay two
        "09/12/2016",
    ], found


def test_ages_by_their_wording() -> None:
    text = (
        "Transferido a los 19 días de vida; desarrollo normal hasta los dos meses de edad. Ingresó en otro "
        "hospital cuando tenía 12 años. A los 8 meses el paciente reingresó."
    )
    ages = [d.text for d in detect(text) if d.entity == "AGE"]
    assert ages == ["19 días", "dos meses", "12 años"], ages  # "a los 8 meses" is a time, not an age


def test_edges_full_stops_and_spaces() -> None:
    text = (
        "Remitido por: Dr. Manuel Estrada Sarmiento. Máximo Gómez 6/ Maceo. Hospital Universitario Dr. "
        "Carlos J. Finlay. C/ Sta Mª Valverde 2 3ºC; 41008 Sevilla. Correo: vtomicic@alemana. Correo: "
        "marias.alfageme@ juntadeandalucia.es"
    )
    found = refine(
        text,
        [_at(text, "Manuel Estrada Sarmiento. Máximo Gómez 6/ Maceo", "HEALTH_PROFESSIONAL"),
         _at(text, "Carlos J. Finlay", "PERSON"),
         _at(text, "C/ Sta Mª Valverde 2 3ºC;", "STREET_ADDRESS"),
         _at(text, "vtomicic@alemana. Correo", "EMAIL_ADDRESS"),
         _at(text, "marias.alfageme@ juntadeandalucia.es", "EMAIL_ADDRESS")],
    )  # fmt: skip
    assert [(d.text, d.entity) for d in found] == [
        ("Manuel Estrada Sarmiento", "HEALTH_PROFESSIONAL"),
        ("Máximo Gómez 6/ Maceo", "STREET_ADDRESS"),
        ("Carlos J. Finlay", "PERSON"),  # an initial's stop does not end a name
        ("C/ Sta Mª Valverde 2 3ºC", "STREET_ADDRESS"),
        ("vtomicic@alemana", "EMAIL_ADDRESS"),
        ("marias.alfageme@ juntadeandalucia.es", "EMAIL_ADDRESS"),
    ]


def test_relatives_countries_and_catalan_towns() -> None:
    text = "Su hermana mayor vive en Montevideo, Uruguay; él, en Granada y en L’Hospitalet de Llobregat."
    found = refine(
        text,
        [_at(text, "hermana", "RELATIVE"), _at(text, "Uruguay", "LOCATION"), _at(text, "Granada", "LOCATION"),
         _at(text, "Hospitalet de Llobregat", "LOCATION")],
    )  # fmt: skip
    assert [(d.text, d.entity) for d in found] == [
        ("hermana mayor", "RELATIVE"),
        ("Uruguay", "COUNTRY"),
        ("Granada", "LOCATION"),  # a country's name, and a Spanish town's
        ("L’Hospitalet de Llobregat", "LOCATION"),
    ]
    twice = (
        "Localidad/ Provincia: Hospitalet de Llobregat.\nRemitido por: Dr. Ruiz. C/ Feixa Llarga, s/n. "
        "08907 L’Hospitalet de Llobregat."
    )
    assert [d.text for d in detect(twice) if d.entity == "LOCATION"][-1] == "L’Hospitalet de Llobregat"


def test_organisations_have_whole_edges() -> None:
    text = (
        "Fundación Jiménez Díaz-UTE Avda Reyes Católicos. IIS-Fundación Jiménez Díaz, Madrid. Hospital "
        "Universitario Fundación Santafé de Bogotá. Hospital Morales Meseguer 2ª planta Avda. Marqués. "
        "Remitido desde el Hospital General de Villalba."
    )
    second = text.index("Fundación Jiménez Díaz,")
    found = refine(
        text,
        [_at(text, "Fundación Jiménez Díaz-", "HOSPITAL"),
         Detection(second, second + 22, "HOSPITAL", 0.85, "Fundación Jiménez Díaz", "ner"),
         _at(text, "Hospital Universitario Fundación Santafé de", "HOSPITAL"),
         _at(text, "Bogotá", "LOCATION"),
         _at(text, "Hospital Morales Meseguer 2ª planta", "HOSPITAL"),
         _at(text, "Hospital General de Villalba", "HEALTH_PROFESSIONAL")],
    )  # fmt: skip
    assert [(d.text, d.entity) for d in found] == [
        ("Fundación Jiménez Díaz-UTE", "HOSPITAL"),
        ("IIS-Fundación Jiménez Díaz", "HOSPITAL"),
        ("Hospital Universitario Fundación Santafé", "HOSPITAL"),
        ("Bogotá", "LOCATION"),
        ("Hospital Morales Meseguer", "HOSPITAL"),
        ("Hospital General de Villalba", "HOSPITAL"),
    ]


def test_relatives_named_by_a_possessive_in_each_language() -> None:
    cases = {
        "es": (
            "La paciente teme el abandono por parte de su pareja y vive con sus padres.",
            ["pareja", "padres"],
        ),
        "ca": ("Viu amb la seva mare i el seu germà.", ["mare", "germà"]),
        "gl": ("Vive coa súa nai e o seu irmán.", ["nai", "irmán"]),
        "eu": ("Bere ama etorri da.", ["ama"]),
    }
    for lang, (text, expected) in cases.items():
        found = [d.text for d in detect(text) if d.entity == "RELATIVE"]
        assert found == expected, (lang, found)
    from ventanilla.privacy.recognizers import PossessedRelativeRecognizer

    without = "La pareja de baile y la madre superiora."  # no possessive: not this pattern's
    assert PossessedRelativeRecognizer().analyze(without, ["RELATIVE"]) == []


def test_times_scores_and_model_numbers_are_not_ages_or_dates() -> None:
    text = (
        "A los 8 meses el paciente reingresó; a los 19 días de vida, fiebre. Controles (EVA 2-3/10), IgG "
        "1620, ecógrafo Hitachi 8500 y ecoendoscopio Pentax EG3830UX el 12 de marzo de 2003."
    )
    found = refine(
        text,
        [_at(text, "8 meses", "AGE"), _at(text, "19 días", "AGE"), _at(text, "2-3/10", "DATE_TIME"),
         _at(text, "1620", "DATE_TIME"), _at(text, "Hitachi 8500", "DATE_TIME"),
         _at(text, "3830", "LOCATION"), _at(text, "12 de marzo de 2003", "DATE_TIME")],
    )  # fmt: skip
    assert [d.text for d in found] == ["19 días", "12 de marzo de 2003"]


def test_organisations_include_their_town() -> None:
    text = (
        "Enviado al Hospital Carlos Haya de Málaga; la cepa, al Centro Nacional de Microbiología de Sevilla."
    )
    found = refine(
        text,
        [_at(text, "Hospital Carlos Haya", "HOSPITAL"),
         _at(text, "Centro Nacional de Microbiología", "INSTITUTION"), _at(text, "Sevilla", "LOCATION")],
    )  # fmt: skip
    assert [d.text for d in found] == [
        "Hospital Carlos Haya de Málaga",
        "Centro Nacional de Microbiología",  # the town is a place of its own here
        "Sevilla",
    ]


def test_an_organisation_ends_before_a_street_head() -> None:
    text = (
        "Servicio de Nefrología del Hospital General Universitario de Valencia Avd. Tres Cruces Número 2. CP"
    )
    found = refine(text, [_at(text, "Hospital General Universitario de Valencia Avd", "HOSPITAL")])
    assert [(d.text, d.entity) for d in found] == [
        ("Hospital General Universitario de Valencia", "HOSPITAL"),
        ("Avd. Tres Cruces Número 2", "STREET_ADDRESS"),
    ]


def test_form_fields_say_what_their_value_is() -> None:
    text = (
        "Domicilio: Calle Bizkarreta, 1.\nLocalidad/ Provincia: Miranda de Ebro.\nDomicilio: 37 45673567 04."
    )
    found = refine(
        text,
        [_at(text, "Calle Bizkarreta, 1", "STREET_ADDRESS"), _at(text, "Miranda de Ebro", "STREET_ADDRESS"),
         _at(text, "37 45673567 04", "HEALTH_INSURANCE_ID")],
    )  # fmt: skip
    assert [(d.text, d.entity) for d in found] == [
        ("Calle Bizkarreta, 1", "STREET_ADDRESS"),
        ("Miranda de Ebro", "LOCATION"),
        ("37 45673567 04", "HEALTH_INSURANCE_ID"),  # an identifier on the wrong line stays one
    ]
    fax = "Valencia 46010 FAX: + 34- 963864175 E-mail: a@b.es"
    assert ("34- 963864175", "FAX_NUMBER") in {(d.text, d.entity) for d in detect(fax)}


def test_an_organisations_acronym_names_it_too() -> None:
    text = "Complejo Hospitalario Universitario de Vigo (CHUVI). C/ Pizarro, s/n 36204 Vigo"
    found = refine(text, [_at(text, "Complejo Hospitalario Universitario de Vigo", "HOSPITAL")])
    assert [(d.text, d.entity) for d in found] == [
        ("Complejo Hospitalario Universitario de Vigo", "HOSPITAL"),
        ("CHUVI", "HOSPITAL"),
    ]


def test_signature_block_streets_without_their_type() -> None:
    text = (
        "Remitido por: Ignacio Jiménez Varo. Hospital Universitario Virgen del Rocío. Reyes Católicos, 19 - "
        "5o. Sevilla. Servicio de Cirugía 2."
    )
    found = refine(
        text,
        [_at(text, "Ignacio Jiménez Varo", "HEALTH_PROFESSIONAL"),
         _at(text, "Hospital Universitario Virgen del Rocío", "HOSPITAL"), _at(text, "Sevilla", "LOCATION")],
    )  # fmt: skip
    assert ("Reyes Católicos, 19 - 5o", "STREET_ADDRESS") in [(d.text, d.entity) for d in found]
    assert not any(d.text.startswith("Servicio") for d in found)  # a department and its number
    prose = "El paciente vive en Reyes Católicos, 19 desde hace años."  # not a signature block
    assert refine(prose, [_at(prose, "paciente", "OTHER_PERSONAL")]) == [
        _at(prose, "paciente", "OTHER_PERSONAL")
    ]


def test_fields_and_organisations_named_after_people() -> None:
    text = "Médico: Naveenjayakumar.\nMedicina Familiar y Comunitaria Centro de Salud José Ramón Muñoz Paseo"
    found = refine(text, [_at(text, "Naveenjayakumar", "PERSON"), _at(text, "José Ramón Muñoz", "PERSON")])
    assert [(d.text, d.entity) for d in found] == [
        ("Naveenjayakumar", "HEALTH_PROFESSIONAL"),
        ("Centro de Salud José Ramón Muñoz", "HEALTH_CENTRE"),
    ]


def test_an_abbreviated_town_keeps_its_stop() -> None:
    text = "Localidad/ Provincia: Cdad. Real.\nCP:13004."
    assert [d.text for d in refine(text, [_at(text, "Cdad", "LOCATION")])] == ["Cdad. Real"]


def test_a_titled_name_may_start_with_initials() -> None:
    text = "Remitido por: Dr. A. Parente Hernández. Revisado por el Dr. J. M. García López."
    names = [d.text for d in detect(text) if d.entity == "HEALTH_PROFESSIONAL"]
    assert names == ["A. Parente Hernández", "J. M. García López"], names


def test_an_organisation_closed_by_its_streets_number() -> None:
    text = "Hospital Ángeles Valle Oriente Frida Kahlo 180-317, San Pedro. Hospital Juan Canalejo Planta 11."
    found = refine(
        text,
        [_at(text, "Hospital Ángeles Valle Oriente Frida Kahlo 180-317", "HOSPITAL"),
         _at(text, "Hospital Juan Canalejo Planta 11", "HOSPITAL")],
    )  # fmt: skip
    assert [(d.text, d.entity) for d in found] == [
        ("Hospital Ángeles Valle Oriente", "HOSPITAL"),
        ("Frida Kahlo 180-317", "STREET_ADDRESS"),
        ("Hospital Juan Canalejo Planta 11", "HOSPITAL"),  # a floor is not a street
    ]


def test_postal_codes_in_letterheads() -> None:
    text = (
        "Avda. Manuel Siurot S/N. E-41013. Sevilla. Universidad de Valencia, Valencia 46010 FAX: 963 86 41 75"
    )
    codes = [d.text for d in detect(text) if d.entity in ("POSTAL_CODE", "LOCATION") and d.text[-1].isdigit()]
    assert codes == ["E-41013", "46010"], codes  # a place either way (MEDDOCAN's TERRITORIO)
    from ventanilla.privacy.recognizers import pattern_recognizers

    postal = next(r for r in pattern_recognizers() if "POSTAL_CODE" in r.supported_entities)
    found = [text[r.start : r.end] for r in postal.analyze(text, ["POSTAL_CODE"]) if r.score >= 0.5]
    assert found == ["E-41013", "46010"], found


def test_whole_organisation_names() -> None:
    text = (
        "Servicio de Ginecología Complejo Hospitalario Hospital General de Segovia. Hospital Universitario "
        "Dr. Carlos J. Finlay. Hospital General Servicio Castellano-Leonés de Salud."
    )
    general = text.index("Hospital General Servicio")
    found = refine(
        text,
        [_at(text, "Complejo Hospitalario", "HOSPITAL"), _at(text, "Hospital General de Segovia", "HOSPITAL"),
         _at(text, "Hospital Universitario Dr. Carlos J", "HOSPITAL"),
         Detection(general, general + 16, "HOSPITAL", 0.85, "Hospital General", "ner"),
         _at(text, "Servicio Castellano-Leonés de Salud", "INSTITUTION")],
    )  # fmt: skip
    assert [d.text for d in found] == [
        "Complejo Hospitalario Hospital General de Segovia",
        "Hospital Universitario Dr. Carlos J. Finlay",
        "Hospital General",  # two named organisations side by side stay two
        "Servicio Castellano-Leonés de Salud",
    ]


def test_extended_spans_never_overlap() -> None:
    text = "Su hermana mayor vive en EE. UU. desde 2010."
    found = refine(
        text,
        [_at(text, "hermana", "RELATIVE"), _at(text, "mayor", "AGE"), _at(text, "EE", "COUNTRY"),
         _at(text, "UU", "LOCATION")],
    )  # fmt: skip
    assert [(d.text, d.entity) for d in found] == [("hermana mayor", "RELATIVE"), ("EE. UU.", "COUNTRY")]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
