"""Span refinement: conventions the NER does not always follow, applied to its resolved spans.

The NER learns MEDDOCAN's annotation conventions from 500 documents and still breaks a few of them in
ways a rule states exactly. Each rule below was checked against the gold spans of MEDDOCAN's train
split before it was measured on dev; where a convention does not always hold there, the counts say how
often it does:

- **durations are not ages**: "desde hace 2 años", "cada 6 meses", "un cuadro de 2 meses de
  evolución", "9 meses después", "tras un seguimiento de 4 años", "hacía 6 meses" (0 of 1,035 gold ages
  in train have these words around them), nor are measurements ("690 g"), nor "a los 8 meses" (a
  time after an event, 111 of 115 in train, unless "de vida/de edad" follows);
- **pain scores, lab values and model numbers are not dates** ("EVA 2-3/10", "IgG 1620", "Hitachi
  8500"), and a span inside a token is no span ("3830" of "EG3830UX");
- **field labels are not names**: "Localidad/ Provincia:" at the start of a line; **and they say
  what their value is**: a place after "Localidad/ Provincia:", a street after "Domicilio:", a
  professional after "Médico:", the patient after "Nombre:" (508 of 510, 494 of 498, 492 of 492 and
  985 of 985 in train);
- **"médico de familia" is a profession**, not a relative; **a relative keeps the adjective that
  tells which** ("hermana mayor", "padres jóvenes", "abuelo materno": 12 of 16 such gold spans of
  train include it);
- **titles are not part of a name**: "Doctor Pablo Garrido Abad" → "Pablo Garrido Abad";
- **a name ends where a department or organisation begins**: "Victoria Ramos Medina Instituto de
  Medicina Legal" → "Victoria Ramos Medina" (the rest is left to the NER's other spans and to
  residual masking);
- **the number and date of a law are not dates of a person** ("RD 1299/2006, de 10 de noviembre"), and
  a span without a letter or digit (a lone ":") is not personal data;
- **a name typed with a double space is one name**: "Roberto Gallego  Pinazo" (the NER read the last
  word as a place; MEDDOCAN has 7 gold names with a double space inside, none split);
- **a name ends at a full stop after a word** ("Manuel Estrada Sarmiento. Máximo Gómez 6/ Maceo":
  the rest, with its number, is the letterhead's street), not after an initial ("Carlos J. Finlay");
  **an e-mail address has no space** ("ana@alemana. Correo");
- **a name right after "Centro de Salud", "Hospital", "Fundación" or "Instituto" names that
  organisation**: "Centro de Salud José Ramón Muñoz";
- **a name does not run across "?" or "!"**: the NER, reading a question, may join the end of one
  sentence to the name that opens the next;
- **a town and its province are two places**, as are places listed with commas and a town and its
  postal code: "24411 Ponferrada León", "San Lucas, Coyoacan", "Chennai 600095" (MEDDOCAN train has
  313 pairs of adjacent places apart by a space and 53 by a comma, against one merged "Distrito
  Federal, México"); a place ends before "Fax", "Tel", "E-mail" ("24071 Leon Fax");
- **a street address ends before its postal code** ("C/ Escuelas, 4-6 37500", "Avda. del Puerto,
  1-8º puerta 14 - 46021": the code is a place of its own, as in 1 of 2 such gold spans of train and
  every one of dev), when postal codes are asked for; and before "C.P", "Tel", "Fax", "E-mail";
- **a span neither starts nor ends with a space, ";", ":" or ","** (1 of MEDDOCAN's 17,134 gold
  spans does);
- **a span runs no longer than personal data does**: MEDDOCAN train's longest gold span is 60
  characters; a NER span of more than 80 (the NER, reading a long paragraph, may open an entity and
  never close it: "EE.UU.), de 350cc. En el hemitórax…" as one 1,262-character country) is cut at its
  first clause mark, or to its first three words; an e-mail address has an "@";
- **an e-mail address starts after its label**: "E-mail.ana@x.es" → "ana@x.es" (and a NER "e-mail"
  with no "@" is masked as another personal detail);
- **a phone number's "+" is not part of it**: "+34 945 007 000" → "34 945 007 000", as in all 7 gold
  numbers with a prefix in MEDDOCAN train and dev;
- **a country name is whole**: "EE" of "EE. UU.", "Costa" of "Costa Rica" (`countries.py`), and
  **a country is a country**: "Uruguay" read as a town (not "Granada", also a Spanish town); a
  Catalan town keeps its article: "L’Hospitalet de Llobregat";
- **an organisation's name has whole edges**: no trailing "de" ("Fundación Santafé de Bogotá" read as
  "… Santafé de") or floor ("Hospital Morales Meseguer 2ª planta"), and the rest of a word joined by a
  hyphen ("Fundación Jiménez Díaz-UTE", "IIS-Fundación Jiménez Díaz"); a "name" headed by "Hospital" or
  "Clínica" is a hospital;
- **an organisation's name is whole**: a bare "Complejo Hospitalario" and the hospital right after it
  are one ("Complejo Hospitalario Hospital General de Segovia"), and an initial's stop does not end it
  ("Hospital Universitario Dr. Carlos J. Finlay");
- **an organisation's acronym in parentheses after it names it too**: "(CHUVI)" (4 of 6 such
  acronyms are spans of their own in train and dev);
- **an organisation's name includes its town after "de"** when nothing else covers the town:
  "Hospital Carlos Haya de Málaga" (104 of 108 such gold spans of train include it);
- **an organisation's name ends where its street begins**: "… de Valencia Avd" of "Avd. Tres Cruces
  Número 2" ends before the street's head, "Hospital Ángeles Valle Oriente Frida Kahlo 180-317" before
  the street its number closes (2 of the 573 gold organisations of train and dev end in a number:
  "… Planta 11", "… Zona 4"); letterheads run them together, and the house number after a comma tells
  where: "Hospital de Pontevedra Loureiro Crespo, 2" is the hospital
  and the street "Loureiro Crespo, 2" (its last two capitalized words); "Boulevard Louis Pasteur, 32"
  read as an institution is a street (no gold hospital, centre or institution of MEDDOCAN train or
  dev is followed by ", <house number>");
- **a manufacturer in parentheses is an institution**, and the places after it places:
  "(Dacortin 30 mg, Merck, Barcelona)" (`vendors.py`);
- **a date is whole**: "30/01/02" (the NER read "01/02"), "21 de febrero de 2002" (it read "febrero
  de 2002"), and a month alone joins the date after it: "Marzo y Abril de 2000", "septiembre del año
  2000" (as "enero del año 2001" in train; two dates with their own years stay two);
- **a signature block's street may come without its type**: "… Virgen del Rocío. Reyes Católicos,
  19 - 5o. Sevilla" (capitalized words and a house number between stops, where nothing else was
  found);
- **a "name" headed by an organisation word is an institution**: "Consejo de Transparencia", and in
  Basque, where the head comes last, "Gobernu Oneko Kontseilua" (which the NER, trained on Spanish,
  read as a professional's name in a question, masking the body the citizen asked about).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ventanilla.privacy.countries import complete_country, is_country
from ventanilla.privacy.names import NAME_WORD
from ventanilla.privacy.recognizers import MONTHS
from ventanilla.privacy.vendors import is_place, vendor_details

if TYPE_CHECKING:
    from ventanilla.privacy.engine import Detection

_AGE_BEFORE = re.compile(
    r"(?i)\b(?:hace|cada|durante|lleva|llevaba|tras|después de|desde hace|en los últimos|por espacio de"
    r"|al cabo de|de evolución de|fa|durant|despois de|período de|periodo de|seguimiento de|hacía)\s+"
    r"(?:(?:unos|unas|más de|menos de"
    r"|aproximadamente|casi)\s+)?$"
)
# The number and date of a law identify the law, not a person: "RD 1299/2006, de 10 de noviembre".
_LEGAL_CITATION = re.compile(
    r"(?i)\b(?:R\.?D\.?|Real Decreto|Decreto|Ley|Llei|Lei|Orden|Ordre|Directiva|Reglamento)\s+"
    r"(?:\d+/)?\d{1,4}/\d{2,4}(?:,?\s+de\s+\d{1,2}\s+(?:de\s+)?\w+(?:\s+de\s+\d{4})?)?"
)
# "A los 8 meses reingresó": a time after an event (111 of 115 in MEDDOCAN train), unless "de vida" or
# "de edad" follows; "a los 14 años" is mostly an age (27 of 44) and stays.
_SHORT_UNIT = re.compile(r"(?i)\b(?:días|semanas|meses|dies|setmanes|mesos)$")
_A_LOS = re.compile(r"(?i)\b(?:a|hasta|als|fins als)\s+(?:los|els)\s+$")
_OF_LIFE = re.compile(r"(?i)\s+de\s+(?:vida|edad|vida|edat)\b")
_MONTH_WORD = re.compile(rf"(?i)\b(?:{MONTHS})")
# An "age" in grams, centimetres or millilitres is a measurement the NER misread ("690 g").
_MEASURE = re.compile(r"\b(?:g|kg|gr|grs|cm|mm|ml|mg|cc)\.?$")
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

# Spanish provinces and single-province communities, with their co-official and older spellings.
_PROVINCES = (
    "Álava|Araba|Albacete|Alicante|Alacant|Almería|Asturias|Ávila|Badajoz|Barcelona|Burgos|Cáceres|Cádiz"
    "|Cantabria|Castellón|Castelló|Córdoba|A Coruña|La Coruña|Cuenca|Girona|Gerona|Granada|Guadalajara"
    "|Gipuzkoa|Guipúzcoa|Huelva|Huesca|Baleares|Illes Balears|Jaén|León|Lleida|Lérida|Lugo|Madrid|Málaga"
    "|Murcia|Navarra|Nafarroa|Ourense|Orense|Palencia|Las Palmas|Pontevedra|La Rioja|Salamanca"
    "|Santa Cruz de Tenerife|Tenerife|Segovia|Sevilla|Soria|Tarragona|Teruel|Toledo|Valencia|València"
    "|Valladolid|Bizkaia|Vizcaya|Zamora|Zaragoza|Ceuta|Melilla|Ciudad Real"
)
_PLACE_THEN_PROVINCE = re.compile(rf"^(?P<place>.*\S)\s+(?P<province>{_PROVINCES})$")
_PLACE_THEN_POSTCODE = re.compile(r"^(?P<place>.*[^\W\d]{2,})\s+(?P<code>\d{4,6})$")
# A street number (with its floor, door…) then a 5-digit postal code; contact words after a street.
_STREET_THEN_POSTCODE = re.compile(r"^(?P<street>.*\d[\wºª/]*\.?)(?:\s*-\s*|,?\s+)(?P<code>\d{5})$")
_STREET_THEN_CONTACT = re.compile(r"[.,]?\s+(?:C\.P\.?|CP|Tel\.?|Telf\.?|Tfno\.?|E-mail:?|Email|Fax)$")
# One of several places listed with commas: short and capitalized ("San Lucas", "Coyoacan", "CDMX").
_LISTED_PLACE = re.compile(r"^[A-ZÁÉÍÓÚÑ][^\W\d_][^;\"“”()\d]{0,38}$")
_PLACE_THEN_CONTACT = re.compile(r"\s+(?:Fax|Tel|Telf|Tfno|E-mail|Email|Correo)\b")
# Words that begin a compound place name rather than end one ("Nuevo León", "Castilla y León").
_PLACE_PREFIXES = frozenset(
    {"la", "las", "los", "el", "a", "o", "de", "del", "y", "e", "i", "ciudad", "cdad.", "puerto", "nuevo",
     "nvo", "nueva", "san", "santa", "villanueva", "villafranca", "alcalá", "medina", "islas", "illes"}
)  # fmt: skip

_NAMES = frozenset({"PERSON", "HEALTH_PROFESSIONAL"})
MAX_SPAN_CHARS = 80
_RELATIVE_ADJECTIVE = re.compile(
    r"[ \t]+(?:mayor|menor|mayores|menores|gemel[oa]s?|joven|jóvenes|matern[oa]s?|patern[oa]s?)\b"
)
ELIDED_ARTICLE = re.compile(r"(?<![^\W\d_])[Ll][’']$")
_ABBREVIATED_END = re.compile(r"(?:^|\s)(?:Cdad|Sta|Sto|Pto|Gral|Vva|Sn)$")
_ABBREVIATION_REST = re.compile(r"\.[ \t]?[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+(?:[ \t]+de[ \t]+[A-ZÁÉÍÓÚÑ][\wáéíóúñ]+)?")
_NAME_FULL_STOP = re.compile(r"[^\W\d_]{2}\.[ \t]+(?=[A-ZÁÉÍÓÚÑ])")
_EDGE_MARKS = " \t\n;:,"
_RUNAWAY_WORDS = 3
_CLAUSE_MARK = re.compile(r"\n|[();]|[.,:](?:\s|$)")
_ORGANISATIONS = frozenset({"HOSPITAL", "HEALTH_CENTRE", "INSTITUTION"})
_LETTERHEAD_STREET_HEADS = r"(?:Avd|Avda|Av|Avenida|C|Calle|Paseo|Plaza|Ctra|Carretera)"
_TRAILING_STREET_HEAD = re.compile(rf"[ \t]+{_LETTERHEAD_STREET_HEADS}\.?$")
_STREET_FROM_HEAD = re.compile(
    rf"{_LETTERHEAD_STREET_HEADS}\.?[ \t]+(?:[\w'’·\-]+[ \t]+){{1,6}}?"
    r"(?:n[ºo°]\.?[ \t]*|N[ºo°]\.?[ \t]*|Número[ \t]+)?(?:\d{1,4}|s/n)\b"
)
# Form fields say what their value is: in MEDDOCAN train 508 of 510 values after "Localidad/
# Provincia:" are places, 494 of 498 after "Domicilio:" street addresses, 492 of 492 after "Médico:"
# professionals, 985 of 985 after "Nombre:"/"Apellidos:" patients, 498 of 500 after "País:" countries.
_FIELD = re.compile(r"[ \t]*([^\W\d_][\w/ ]{2,30}?)[ \t]*:[ \t]*")
_RETYPED_BY_FIELD = frozenset(
    {"STREET_ADDRESS", "LOCATION", "COUNTRY", "INSTITUTION", "HOSPITAL", "HEALTH_CENTRE", "PERSON",
     "HEALTH_PROFESSIONAL", "RELATIVE", "OTHER_PERSONAL"}
)  # fmt: skip
# names and places; an identifier on the wrong line stays what it is
_FIELD_TYPES = {
    "localidad/provincia": "LOCATION",
    "localidad": "LOCATION",
    "localitat": "LOCATION",
    "localidade": "LOCATION",
    "municipio": "LOCATION",
    "domicilio": "STREET_ADDRESS",
    "domicili": "STREET_ADDRESS",
    "enderezo": "STREET_ADDRESS",
    "helbidea": "STREET_ADDRESS",
    "médico": "HEALTH_PROFESSIONAL",
    "medico": "HEALTH_PROFESSIONAL",
    "metge": "HEALTH_PROFESSIONAL",
    "remitidopor": "HEALTH_PROFESSIONAL",
    "responsableclínico": "HEALTH_PROFESSIONAL",
    "responsableclinico": "HEALTH_PROFESSIONAL",
    "nombre": "PERSON",
    "apellidos": "PERSON",
    "nom": "PERSON",
    "cognoms": "PERSON",
    "país": "COUNTRY",
    "paísdenacimiento": "COUNTRY",
}
_ACRONYM_AFTER = re.compile(r"[ \t]*\(([A-ZÁÉÍÓÚÑ]{2,10})\)")
_LETTERHEAD_LINE = re.compile(r"(?m)^(?:Remitido por|Responsable clínico|Correspondencia)\b[^\n]*$")
_BARE_STREET = re.compile(
    r"(?:(?<=\. )|(?<=, )|(?<=[ \t]))(?P<street>(?:(?:Urb|Avda|Av|Pza|Pº|C)\.[ \t]+)?[A-ZÁÉÍÓÚÑ][\w'´’·\-]+"
    r"(?:[ \t]+(?:(?:de|del|la|las|los|y|el)[ \t]+)?[A-ZÁÉÍÓÚÑ][\w'´’·\-]+){0,4},?[ \t]+"
    r"(?:n[ºo°]\.?[ \t]*|Nº[ \t]*)?\d{1,4}(?:[ \t]*[-,][ \t]*\d{1,2}[ºªo]?)?)(?=[.,;]?(?:\s|$))"
)
_DEPARTMENT_WORD = re.compile(
    r"(?:Servicio|Servei|Área|Zona|Consultorio|Unidad|Unitat|Planta|Hospital|Sección|Edificio|Edifici|Despacho"
    r"|Suite|Box|Sala|Módulo|Pabellón|Departamento|Apartado)\b"
)
_NAMED_AFTER = re.compile(r"(?<![\w])(Centro de Salud|Hospital|Fundación|Instituto)[ \t]+$")
_NAMED_AFTER_TYPES = {
    "centro de salud": "HEALTH_CENTRE",
    "hospital": "HOSPITAL",
    "fundación": "INSTITUTION",
    "instituto": "INSTITUTION",
}
_ENDS_WITH_NUMBER = re.compile(
    r"[A-ZÁÉÍÓÚÑ][\w'’\-]+(?:[ \t]+(?:(?:de|del|la|las|los|y)[ \t]+)?[A-ZÁÉÍÓÚÑ][\w'’\-]+)?"
    r"[ \t]+\d{1,4}(?:-\d{1,4})?$"
)
_BARE_HEAD = re.compile(r"Complejo Hospitalario(?: Universitario)?")
_OF_TOWN = re.compile(r"[ \t]+del?[ \t]+(?=[A-ZÁÉÍÓÚÑ])")
_TOWN_WORDS = re.compile(r"[A-ZÁÉÍÓÚÑ][\w'’\-]+(?:[ \t]+(?:de[ \t]+)?[A-ZÁÉÍÓÚÑ][\w'’\-]+)?")
_HOSPITAL_HEAD = re.compile(r"(?:Hospital|Clínica|Complejo Hospitalario|Hospital Universitario)\s")
_FLOOR_AFTER = re.compile(r"[ \t]+\d{1,2}[ªº]?[ \t]+(?:planta|piso)\b.*$", re.IGNORECASE)
_TRAILING_CONNECTOR = re.compile(r"[ \t]+(?:de|del|de la|y|e|la|el)$")
_ENDS_WITH_INITIAL = re.compile(r"\s[A-ZÁÉÍÓÚÑ]$")
_INITIAL_CUT = re.compile(r"\.[ \t][A-ZÁÉÍÓÚÑ][\wáéíóúñ\-]+")
_HYPHENATED_BEFORE = re.compile(r"(?<![\w-])[A-ZÁÉÍÓÚÑ]{2,8}-$")
_NUMERIC_DATE = re.compile(r"(?<![\d/.\-])\d{1,2}([/.\-])\d{1,2}\1\d{2,4}(?![\d/.\-])")
_DAY_BEFORE = re.compile(r"(?<!\d)\d{1,2}[ \t]+(?:de[ \t]+|d['’])$")
_BARE_MONTH = re.compile(rf"(?i)(?:{MONTHS})")
_STARTS_WITH_MONTH = re.compile(rf"(?i)(?:{MONTHS})\b")
_MONTH_JOIN = re.compile(r"[ \t]+(?:y|a|del)[ \t]+")
_HOUSE_NUMBER = re.compile(r",[ \t]*(?:n[ºo°][ \t]*)?(?:\d{1,4}[A-Za-z]?|s/n)\b")
_STREET_HEAD = re.compile(
    r"^(?:Calle|C/|Avda\.?|Avd\.?|Avenida|Av\.|Boulevard|Bulevar|Plaza|Pza\.|Paseo|Camino|Carretera|Ronda|"
    r"Travesía|Carrer|Avinguda|Passeig|Plaça|Rúa|Praza|Estrada)\s"
)
_STREET_TAIL = re.compile(
    r"(?:[A-ZÁÉÍÓÚÑ][\w'’\-]*[ \t]+(?:(?:de|del|la|las|los|el|dos|da)[ \t]+)*)?[A-ZÁÉÍÓÚÑ][\w'’\-]*$"
)
_EMAIL_LABEL = re.compile(r"(?i)^(?:e-?mail|correo(?:\s+electr[oó]nico)?)[.:\-]\s*")
_DOUBLE_SPACE = re.compile(r"[ \t]{2,3}")
_SINGLE_NAME_WORD = re.compile(NAME_WORD)
_NAME_PART = re.compile(r"[^\s?!¿¡](?:[^?!¿¡]*[^\s?!¿¡])?")


def refine(text: str, detections: list[Detection], wanted: frozenset[str] | None = None) -> list[Detection]:
    """`detections` with the conventions above applied, in text order. `wanted`: the entity types
    asked for (a piece is only split off a span as a type that is asked for)."""
    refined: list[Detection] = []
    citations = [(m.start(), m.end()) for m in _LEGAL_CITATION.finditer(text)]
    country_end = -1  # where the last completed country name ends: spans inside it are dropped
    for d in sorted(detections, key=lambda x: x.start):
        if not any(ch.isalnum() for ch in d.text):  # a lone ":" the NER tagged
            continue
        stripped = d.text.strip(_EDGE_MARKS)
        if stripped != d.text and stripped:  # "C/ Sta Mª Valverde 2 3ºC;", "Berkal 12, 4 izq.  "
            lead = len(d.text) - len(d.text.lstrip(_EDGE_MARKS))
            d = _part(d, lead, lead + len(stripped))
        if d.start < country_end:
            if d.end <= country_end:
                continue
            d = _part(d, country_end - d.start, len(d.text))
        if d.entity == "EMAIL_ADDRESS":
            if "@" not in d.text:  # the NER's reading of something else: still masked
                d = replace(d, entity="OTHER_PERSONAL")
            label = _EMAIL_LABEL.match(d.text)
            if label and "@" in d.text[label.end() :]:
                d = _part(d, label.end(), len(d.text))
            address = re.match(r"\S*@ ?\S*", d.text)  # "ana@ sas.es" is a typed address
            if address and address.end() < len(d.text):  # "ana@alemana. Correo": no space in an address
                d = _part(d, 0, len(address.group().rstrip(".")))
        if d.entity in ("PHONE_NUMBER", "FAX_NUMBER") and d.text.startswith("+"):
            d = _part(d, len(d.text) - len(d.text[1:].lstrip()), len(d.text))
        if len(d.text) > MAX_SPAN_CHARS:
            d = _cut_runaway(d)
        field = _FIELD_TYPES.get(_field_label(text, d.start))
        if (
            field and d.entity in _RETYPED_BY_FIELD
        ):  # "Localidad/ Provincia: Miranda de Ebro" read as a street
            d = replace(d, entity=field)
        if d.entity == "DATE_TIME":
            d = _complete_date(text, d)
        if d.entity == "LOCATION" and ELIDED_ARTICLE.search(text, max(0, d.start - 3), d.start):
            d = replace(d, start=d.start - 2, text=text[d.start - 2 : d.end])  # "L’Hospitalet de Llobregat"
        if d.entity == "LOCATION" and _ABBREVIATED_END.search(d.text):
            abbreviated = _ABBREVIATION_REST.match(text, d.end)
            if abbreviated:  # "Cdad. Real", "Sta. Cruz de Tenerife" cut at the abbreviation's stop
                d = replace(d, end=abbreviated.end(), text=text[d.start : abbreviated.end()])
        if d.entity == "LOCATION" and is_country(d.text):  # "Uruguay", "India" read as a town
            d = replace(d, entity="COUNTRY")
        if d.entity in ("COUNTRY", "LOCATION"):
            completed = complete_country(text, d)
            if completed.end > d.end:
                country_end = completed.end
            d = completed
        if d.entity in ("DATE_TIME", "AGE") and any(a <= d.start and d.end <= b for a, b in citations):
            continue
        if d.entity == "STREET_ADDRESS":
            refined += _split_street(d, wanted is None or "POSTAL_CODE" in wanted)
            continue
        if d.entity == "AGE" and (
            _AGE_BEFORE.search(text, max(0, d.start - 40), d.start)
            or _AGE_AFTER.match(text, d.end)
            or _MEASURE.search(d.text)
            or (
                _SHORT_UNIT.search(d.text)
                and _A_LOS.search(text, max(0, d.start - 12), d.start)
                and not _OF_LIFE.match(text, d.end)
            )
        ):
            continue
        if d.entity == "DATE_TIME" and _not_a_date(d.text):
            continue
        if _inside_a_token(text, d):  # "3830" of "EG3830UX"
            continue
        if d.entity in _NAMES | {"RELATIVE"} and _is_field_label(text, d):
            continue
        if d.entity == "RELATIVE":
            adjective = _RELATIVE_ADJECTIVE.match(text, d.end)
            if adjective:  # "hermana mayor", "padres jóvenes", "abuelo materno"
                d = replace(d, end=adjective.end(), text=text[d.start : adjective.end()])
        if (
            d.entity == "RELATIVE"
            and d.text.lower() == "familia"
            and _FAMILY_DOCTOR.search(text, max(0, d.start - 30), d.start)
        ):
            continue
        if d.entity == "LOCATION":
            refined += _split_places(d)
            continue
        if d.entity in _ORGANISATIONS:
            d = _organisation_edges(text, d)
        if d.entity in _ORGANISATIONS and (wanted is None or "STREET_ADDRESS" in wanted):
            refined += _split_letterhead(text, d)
            continue
        if d.entity not in _NAMES:
            refined.append(d)
            continue
        named_after = _NAMED_AFTER.search(text, max(0, d.start - 20), d.start)
        if named_after:  # "Centro de Salud José Ramón Muñoz": a centre named after a person
            entity = _NAMED_AFTER_TYPES[named_after.group(1).lower()]
            refined.append(
                replace(d, start=named_after.start(), text=text[named_after.start() : d.end], entity=entity)
            )
            continue
        for part in _split_at_sentence_marks(d):
            part, rest = _split_at_full_stop(part)
            if rest is not None:
                refined.append(rest)
            part = _trim_name(part)
            if _HOSPITAL_HEAD.match(part.text):  # "Hospital General de Villalba" read as a name
                part = replace(part, entity="HOSPITAL")
            elif _ORG_HEAD_FIRST.match(part.text) or _ORG_HEAD_LAST.search(part.text):
                part = replace(part, entity="INSTITUTION")
            refined.append(part)
    joined = _join_dates(text, _join_spaced_names(text, vendor_details(text, refined)))
    towns = _organisation_towns(text, joined)
    if wanted is None or "STREET_ADDRESS" in wanted:
        towns += _letterhead_streets(text, towns)
    return _without_overlaps(towns)


def _without_overlaps(detections: list[Detection]) -> list[Detection]:
    """The rules that extend a span (a country, a date, a relative's adjective, a town's article) may
    reach into the next one: of two overlapping spans the longer stays, in text order."""
    kept: list[Detection] = []
    for d in sorted(detections, key=lambda x: (x.start, -(x.end - x.start))):
        if kept and d.start < kept[-1].end:
            if d.end - d.start > kept[-1].end - kept[-1].start:
                kept[-1] = d
            continue
        kept.append(d)
    return kept


def _join_spaced_names(text: str, detections: list[Detection]) -> list[Detection]:
    """A name and the capitalized word two or three spaces after it are one name ("Roberto Gallego
    Pinazo" typed with a double space, whose last word the NER read as a place)."""
    joined: list[Detection] = []
    for d in sorted(detections, key=lambda x: x.start):
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.entity in _NAMES | {"RELATIVE"}
            and d.entity in _NAMES | {"RELATIVE", "LOCATION"}
            and _DOUBLE_SPACE.fullmatch(text, last.end, d.start)
            and _SINGLE_NAME_WORD.fullmatch(d.text)
        ):
            joined[-1] = replace(last, end=d.end, text=text[last.start : d.end])
            continue
        joined.append(d)
    return joined


def _part(d: Detection, start: int, end: int) -> Detection:
    """The piece `start:end` (offsets inside `d.text`) of a detection."""
    return replace(d, start=d.start + start, end=d.start + end, text=d.text[start:end])


def _complete_date(text: str, d: Detection) -> Detection:
    """A date the NER cut inside its numbers ("01/02" of "30/01/02") or without its day ("febrero de
    2002" of "21 de febrero de 2002"), whole."""
    window_start = max(0, d.start - 6)
    for numeric in _NUMERIC_DATE.finditer(text, window_start, min(len(text), d.end + 6)):
        if (
            numeric.start() <= d.start
            and d.end <= numeric.end()
            and (numeric.start(), numeric.end())
            != (
                d.start,
                d.end,
            )
        ):
            return replace(d, start=numeric.start(), end=numeric.end(), text=numeric.group())
    day = _DAY_BEFORE.search(text, max(0, d.start - 8), d.start)
    if day and _STARTS_WITH_MONTH.match(d.text):
        return replace(d, start=day.start(), text=text[day.start() : d.end])
    return d


def _organisation_towns(text: str, detections: list[Detection]) -> list[Detection]:
    """An organisation's name includes the town after "de" that nothing else covers: "Hospital Carlos
    Haya de Málaga" (104 of 108 such gold spans of MEDDOCAN train include it; a town the NER marked as
    a place of its own stays one, as it usually is then). The town is one GeoNames knows."""
    ordered = _join_bare_heads(text, sorted(detections, key=lambda x: x.start))
    result: list[Detection] = []
    for i, d in enumerate(ordered):
        acronym = _ACRONYM_AFTER.match(text, d.end) if d.entity in _ORGANISATIONS else None
        if acronym and not any(o.start < acronym.end(1) and acronym.start(1) < o.end for o in ordered):
            # "Complejo Hospitalario Universitario de Vigo (CHUVI)": the acronym names it too
            short = replace(d, start=acronym.start(1), end=acronym.end(1), text=acronym.group(1))
            result.append(short)
        link = _OF_TOWN.match(text, d.end) if d.entity in _ORGANISATIONS else None
        word = _TOWN_WORDS.match(text, link.end()) if link else None
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        if word and is_place(word.group()) and (following is None or following.start >= word.end()):
            d = replace(d, end=word.end(), text=text[d.start : word.end()])
        result.append(d)
    return result


def _join_bare_heads(text: str, ordered: list[Detection]) -> list[Detection]:
    """A bare "Complejo Hospitalario" and the hospital named right after it are one name ("Complejo
    Hospitalario Hospital General de Segovia"); two named organisations side by side stay two."""
    joined: list[Detection] = []
    for d in ordered:
        last = joined[-1] if joined else None
        if (
            last is not None
            and _BARE_HEAD.fullmatch(last.text)
            and d.entity == "HOSPITAL"
            and d.text.startswith("Hospital")
            and text[last.end : d.start] == " "
        ):
            joined[-1] = replace(last, end=d.end, text=text[last.start : d.end], entity=d.entity)
            continue
        joined.append(d)
    return joined


def _letterhead_streets(text: str, detections: list[Detection]) -> list[Detection]:
    """Streets written without their type in a signature block ("Hospital Universitario Virgen del
    Rocío. Reyes Católicos, 19 - 5o. Sevilla"): capitalized words and a house number between stops,
    on a "Remitido por:" / "Responsable clínico:" line, where nothing else was found."""
    if not detections:
        return []
    template = detections[0]
    found: list[Detection] = []
    for line in _LETTERHEAD_LINE.finditer(text):
        for m in _BARE_STREET.finditer(text, line.start(), line.end()):
            start, end = m.start("street"), m.end("street")
            if _DEPARTMENT_WORD.match(m.group("street")):
                continue
            if any(d.start < end and start < d.end for d in detections):
                continue
            found.append(
                replace(template, start=start, end=end, text=m.group("street"), entity="STREET_ADDRESS",
                        score=0.5, source="letterhead")
            )  # fmt: skip
    return found


def _join_dates(text: str, detections: list[Detection]) -> list[Detection]:
    """A month alone and the date after it are one date: "Marzo y Abril de 2000", "septiembre del año
    2000" (MEDDOCAN marks both as one span; two dates with their years stay two)."""
    joined: list[Detection] = []
    for d in detections:
        last = joined[-1] if joined else None
        if (
            last is not None
            and last.entity == d.entity == "DATE_TIME"
            and _BARE_MONTH.fullmatch(last.text)
            and _MONTH_JOIN.fullmatch(text, last.end, d.start)
            and (_STARTS_WITH_MONTH.match(d.text) or d.text.lower().startswith("año"))
        ):
            joined[-1] = replace(last, end=d.end, text=text[last.start : d.end])
            continue
        joined.append(d)
    return joined


def _field_label(text: str, start: int) -> str:
    """The form label right before `start` on its line ("localidad/provincia", "domicilio"), lowered."""
    line_start = text.rfind("\n", 0, start) + 1
    label = _FIELD.fullmatch(text, line_start, start)
    return re.sub(r"\s+", "", label.group(1)).lower() if label else ""


def _not_a_date(value: str) -> bool:
    """A pain score ("2-3/10"), a lab value ("IgG 1620") or a model number ("Hitachi 8500") the NER
    read as a date: no month, and its numbers are neither a day/month nor a plausible year."""
    if _MONTH_WORD.search(value):
        return False
    if re.fullmatch(r"\d{1,2}-\d{1,2}/\d{1,3}", value):
        return True
    groups = re.findall(r"\d+", value)
    return bool(groups) and all(len(g) == 4 and not 1800 <= int(g) <= 2100 for g in groups)


def _inside_a_token(text: str, d: Detection) -> bool:
    before = text[d.start - 1] if d.start > 0 else " "
    after = text[d.end] if d.end < len(text) else " "
    return before.isalnum() and after.isalnum() and d.entity != "EMAIL_ADDRESS"


def _cut_runaway(d: Detection) -> Detection:
    """A span too long to be personal data, cut at its first clause mark or to its first words."""
    mark = _CLAUSE_MARK.search(d.text)
    if mark and 0 < mark.start() <= MAX_SPAN_CHARS:
        return _part(d, 0, len(d.text[: mark.start()].rstrip()))
    words = list(re.finditer(r"\S+", d.text))[:_RUNAWAY_WORDS]
    return _part(d, 0, words[-1].end())


def _organisation_edges(text: str, d: Detection) -> Detection:
    """An organisation's name without a trailing "de" or floor ("Hospital Morales Meseguer 2ª planta"),
    and with the rest of a word joined by a hyphen ("Fundación Jiménez Díaz-UTE", "IIS-Fundación…")."""
    floor = _FLOOR_AFTER.search(d.text)
    if floor and floor.start() > 0:
        d = _part(d, 0, len(d.text[: floor.start()].rstrip(" \t-–,")))
    connector = _TRAILING_CONNECTOR.search(d.text)
    if connector and connector.start() > 0:
        d = _part(d, 0, connector.start())
    if d.text.endswith("-"):
        rest = re.match(r"[^\W_]+", text[d.end :])
        if rest:
            d = replace(d, end=d.end + rest.end(), text=text[d.start : d.end + rest.end()])
    initial = _INITIAL_CUT.match(text, d.end) if _ENDS_WITH_INITIAL.search(d.text) else None
    if initial:  # "Hospital Universitario Dr. Carlos J" of "… Carlos J. Finlay"
        d = replace(d, end=initial.end(), text=text[d.start : initial.end()])
    before = _HYPHENATED_BEFORE.search(text, max(0, d.start - 12), d.start)
    if before:
        d = replace(d, start=before.start(), text=text[before.start() : d.end])
    return d


def _split_letterhead(text: str, d: Detection) -> list[Detection]:
    """An organisation followed by ", <house number>": its street, split off (see the docstring); one
    that ends in a street's head ("… de Valencia Avd" of "Avd. Tres Cruces Número 2"): that street."""
    street_head = _TRAILING_STREET_HEAD.search(d.text)
    if street_head and street_head.start() > 0:
        following = _STREET_FROM_HEAD.match(text, d.start + street_head.start() + 1)
        kept = _part(d, 0, street_head.start())
        if following is None:
            return [kept]
        found = replace(
            d, start=following.start(), end=following.end(), text=following.group(), entity="STREET_ADDRESS"
        )
        return [kept, found]
    numbered = _ENDS_WITH_NUMBER.search(d.text)
    before_number = numbered.group().split()[-2] if numbered else ""
    if (
        numbered
        and len(d.text[: numbered.start()].split()) >= 2
        and not _DEPARTMENT_WORD.match(numbered.group())
        and not _DEPARTMENT_WORD.match(before_number)
    ):
        # "Hospital Ángeles Valle Oriente Frida Kahlo 180-317": the street and its number closed the span
        head = _part(d, 0, len(d.text[: numbered.start()].rstrip()))
        street = replace(_part(d, numbered.start(), len(d.text)), entity="STREET_ADDRESS")
        return [head, street]
    number = _HOUSE_NUMBER.match(text, d.end)
    if number is None:
        return [d]
    street_end = number.end() - d.start
    if _STREET_HEAD.match(d.text):
        whole = replace(d, entity="STREET_ADDRESS", end=number.end(), text=text[d.start : number.end()])
        return [whole]
    tail = _STREET_TAIL.search(d.text)
    if tail is None or len(d.text[: tail.start()].split()) < 2:
        return [d]
    head = _part(d, 0, len(d.text[: tail.start()].rstrip()))
    street = replace(
        d, entity="STREET_ADDRESS", start=d.start + tail.start(), end=d.start + street_end,
        text=text[d.start + tail.start() : d.start + street_end],
    )  # fmt: skip
    return [head, street]


def _split_street(d: Detection, postcodes: bool) -> list[Detection]:
    """A street address without the contact words and (if `postcodes`) the postal code after it."""
    contact = _STREET_THEN_CONTACT.search(d.text)
    if contact and contact.start() > 0:
        d = _part(d, 0, contact.start())
    postcode = _STREET_THEN_POSTCODE.match(d.text) if postcodes else None
    if postcode is None:
        return [d]
    code = replace(_part(d, postcode.start("code"), len(d.text)), entity="POSTAL_CODE")
    return [_part(d, 0, postcode.end("street")), code]


def _split_places(d: Detection) -> list[Detection]:
    """A place detection cut into the places it lists (see the module docstring)."""
    contact = _PLACE_THEN_CONTACT.search(d.text)
    if contact and contact.start() > 0:
        return _split_places(_part(d, 0, contact.start()))
    if ", " in d.text and all(_LISTED_PLACE.match(piece) for piece in d.text.split(", ")):
        pieces, offset = [], 0
        for piece in d.text.split(", "):
            if piece.strip():
                pieces += _split_places(_part(d, offset, offset + len(piece)))
            offset += len(piece) + 2
        return pieces
    postcode = _PLACE_THEN_POSTCODE.match(d.text)
    if postcode:
        return [_part(d, 0, postcode.end("place")), _part(d, postcode.start("code"), len(d.text))]
    province = _PLACE_THEN_PROVINCE.match(d.text)
    if province and province.group("place").split()[-1].lower() not in _PLACE_PREFIXES:
        place = _split_places(_part(d, 0, province.end("place")))
        return [*place, _part(d, province.start("province"), len(d.text))]
    return [d]


def _split_at_sentence_marks(d: Detection) -> list[Detection]:
    """A name does not run across "?" or "!": "Kontseilua? Ane Etxeberria" is two spans."""
    return [_part(d, m.start(), m.end()) for m in _NAME_PART.finditer(d.text)]


def _split_at_full_stop(d: Detection) -> tuple[Detection, Detection | None]:
    """A name ends at a full stop after a word ("Manuel Estrada Sarmiento. Máximo Gómez 6/ Maceo"); an
    initial's stop ("Carlos J. Finlay") does not end it. What follows, if it has a number, is the
    letterhead's street."""
    stop = _NAME_FULL_STOP.search(d.text)
    if stop is None or len(d.text[: stop.start() + 2].split()) < 2:
        return d, None
    rest = d.text[stop.end() :]
    name = _part(d, 0, stop.start() + 2)
    if not any(ch.isdigit() for ch in rest):
        return name, None
    street = replace(_part(d, stop.end(), len(d.text)), entity="STREET_ADDRESS")
    return name, street


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
