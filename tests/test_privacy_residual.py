"""Residual masking (contact lines, manufacturer parentheses, relatives, ages, organisations, form
fields) through the real detector."""

from __future__ import annotations

from conftest import SHARED_DATA
from ventanilla.privacy.anonymize import anonymize_text, pseudonymize, restore
from ventanilla.privacy.brat import read_brat_dir
from ventanilla.privacy.engine import Detection, detect
from ventanilla.privacy.evaluate import evaluate, ventanilla_predictor
from ventanilla.privacy.residual import ALL_RULES, DEFAULT_RULES, RESIDUAL_SOURCE, residual_detections

DEV = SHARED_DATA / "meddocan" / "dev"


def test_contact_line_leftovers_are_masked_labels_kept() -> None:
    text = (
        "Remitido por: Dra. Marta Villalobos Ruiz, Fundación Ortzadar Zubiaurre, Calle Iturribide 14, "
        "48006 Bilbao.\nLa paciente refiere dolor abdominal desde hace dos semanas."
    )
    masked = anonymize_text(text, residual=ALL_RULES)
    for leftover in ("Ortzadar", "Zubiaurre", "Iturribide", "Villalobos", "48006"):
        assert leftover not in masked.text, masked.text
    assert masked.text.startswith("Remitido por: Dra. <")
    assert "La paciente refiere dolor abdominal desde hace dos semanas." in masked.text


def test_narrative_with_one_detection_is_not_swept() -> None:
    text = "Ingresó en el Hospital Universitario La Paz con fiebre; se pautó Augmentin 875 mg cada 8 horas."
    detections = detect(text)
    extra = residual_detections(text, detections)
    assert all(d.source == RESIDUAL_SOURCE for d in extra)
    assert not [d for d in extra if "Augmentin" in d.text or "875" in d.text], extra


def test_manufacturer_parenthesis_masks_company_not_product() -> None:
    text = "Se inició prednisona oral (Dacortin 30 mg, Laboratorios Quimefar, Barcelona) durante diez días."
    masked = anonymize_text(text, residual=ALL_RULES)
    assert "Quimefar" not in masked.text and "Barcelona" not in masked.text, masked.text
    assert "Dacortin 30 mg" in masked.text


def test_merging_joins_one_name_and_needs_contact_data() -> None:
    line = "Dr. Pedro Gómez. Centro Nacional de Microbiología de Majadahonda. Tel.: 912 345 678"
    person = Detection(4, 15, "PERSON", 0.9, "Pedro Gómez", "ner")
    phone = Detection(line.index("912"), len(line), "PHONE_NUMBER", 0.9, "912 345 678", "pattern")
    extra = residual_detections(line, [person, phone], ("contact",))
    assert [d.text for d in extra] == ["Centro Nacional de Microbiología de Majadahonda"], extra
    assert residual_detections(line, [person], ("contact",)) == []  # one kind of contact data: narrative


def test_relatives_named_by_role_in_each_language() -> None:
    for text, word in (
        ("Acude acompañado de su esposa, que refiere cefalea.", "esposa"),
        ("Ve acompanyat de la seva germana gran.", "germana"),
        ("Vén acompañado da súa nai.", "nai"),
        ("Bere ama ospitalera etorri da.", "ama"),
    ):
        masked = anonymize_text(text, residual=ALL_RULES)
        assert word not in masked.text.split(), masked.text
        assert "<FAMILIAR_" in masked.text
    assert "Acude acompañado" in anonymize_text("Acude acompañado de su esposa.", residual=ALL_RULES).text


def test_questions_keep_their_relatives() -> None:
    question, _ = pseudonymize("¿Puedo aplicar la deducción por mis hijos y mi cónyuge en el IRPF?")
    assert "hijos" in question and "cónyuge" in question


def test_residual_lowers_leak_and_stays_out_of_entity_scores() -> None:
    docs = read_brat_dir(DEV, limit=40)
    with_res = evaluate(docs, ventanilla_predictor(residual=True)).as_dict()
    without = evaluate(docs, ventanilla_predictor(residual=False)).as_dict()
    assert with_res["leak_rate"] < without["leak_rate"]
    assert with_res["overmask_rate"] >= without["overmask_rate"]
    for key in ("precision", "recall", "f1", "span_f1"):
        assert with_res[key] == without[key]
    assert 0 < with_res["overmask_rate"] < 0.05


def test_default_rules_leave_relatives_to_the_policy() -> None:
    text = "El consultante y su cónyuge aplican la deducción por sus hijos."
    assert "hijos" in anonymize_text(text, ("RELATIVE",), residual=DEFAULT_RULES).text
    assert "<FAMILIAR_" in anonymize_text("Acude con su esposa.", residual=("relatives",)).text


def test_special_categories_of_the_patient_are_masked_colours_are_not() -> None:
    text = (
        "Mujer negra de 22 años, heterosexual, de raza subsahariana. Heces negras y sustancia blanca normal."
    )
    masked = anonymize_text(text, residual=("special",)).text
    for word in ("negra de", "heterosexual", "subsahariana"):
        assert word not in masked, masked
    assert "Heces negras y sustancia blanca normal." in masked
    assert "heterosexual" in anonymize_text(text, residual=DEFAULT_RULES).text  # only where the policy says


def test_a_relatives_name_in_a_question_is_masked_whatever_the_ner_calls_it() -> None:
    for question, name in (
        ("¿Qué casos clínicos hay de mi madre María López con diabetes?", "María López"),
        ("La meva germana Anna Puig té febre des d'ahir.", "Anna Puig"),
        ("A miña nai Rosa Castro ten tose.", "Rosa Castro"),
        ("Vive con su hija de 50 años de nombre Natalia Ontiveros Palacios.", "Natalia Ontiveros Palacios"),
        ("Miren Etxeberria izeneko alabarekin etorri da.", "Miren Etxeberria"),
        ("Viu amb una neboda anomenada Núria Vila.", "Núria Vila"),
    ):
        masked, vault = pseudonymize(question)
        assert name not in masked and ("<FAMILIAR_1>" in masked or "<PERSONA_1>" in masked), masked
        assert restore(masked, vault) == question


def test_ages_in_the_forms_that_are_a_persons_age_follow_up_intervals_stay() -> None:
    text = (
        "Primera hija de padres jóvenes (madre de 28 años y padre de 30 años). Niño de tres meses. "
        "Neumonía a los 9 meses, menarquia a los 14 años; a los 3 años de la cirugía sigue bien. "
        "Falleció a los 40 días de vida. Al cuarto mes de vida ingresó, cuando tenía 12 años. "
        "Ex fumador desde hace más de 30 años."
    )
    found = [d.text for d in residual_detections(text, [], ("ages",))]
    assert found == ["28 años", "30 años", "tres meses", "14 años", "40 días", "cuarto mes", "12 años"], found
    assert all(d.entity == "AGE" for d in residual_detections(text, [], ("ages",)))


def test_organisations_in_narrative_headed_or_with_a_company_suffix() -> None:
    text = (
        "Se envió la cepa al Centro Nacional de Microbiología de Majadahonda. Allí se amplificó. "
        "Terapia de vacío (KCI Clinic Spain SL) y espirales (Boston Scientific Co.) sin incidencias. "
        "Dr. Luis Gil, Universidad de Alcalá E-mail: lgil@example.org"
    )
    found = [d.text for d in residual_detections(text, [], ("organisations",))]
    assert found == [
        "Centro Nacional de Microbiología de Majadahonda",
        "KCI Clinic Spain SL",
        "Boston Scientific Co.",
        "Universidad de Alcalá",
    ], found
    # Only the part the detector left: the town it found stays its own detection.
    town = Detection(text.index("Majadahonda"), text.index("Majadahonda") + 11, "LOCATION", 0.9, "", "ner")
    rest = residual_detections(text, [town], ("organisations",))[0]
    assert rest.text == "Centro Nacional de Microbiología", rest


def test_form_field_values_are_masked_whatever_they_look_like() -> None:
    text = (
        "NHC: 784336.\nNSS: 92-91-90-8443-1.\nDomicilio: No, Balderas 49, Colonia Centro.\n"
        "Localidad/ Provincia: Cdad. Real.\nMujer de 68 años, casada, ocupación: hogar. Refiere dolor."
    )
    masked = anonymize_text(text, residual=DEFAULT_RULES).text
    for value in ("8443", "Balderas", "Colonia Centro", "Cdad. Real", "hogar"):
        assert value not in masked, masked
    assert "Refiere dolor." in masked and "Domicilio: <" in masked


def test_spanish_words_that_look_like_relatives_in_other_languages_stay() -> None:
    text = "Pares craneales normales, límites netos, AMA positivos. Els seus pares i a súa neta."
    found = [d.text for d in residual_detections(text, [], ("relatives",))]
    assert found == ["pares", "neta"], found
