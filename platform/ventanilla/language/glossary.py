"""Administrative-law terminology for query translation, written for this project.

Apertium's general dictionaries miss or mistranslate the fixed terms of Spanish administrative law
(Basque `gorako errekurtsoa` is the `recurso de alzada`; English `appeal for reconsideration` is the
`recurso de reposición`). Before translation each term found in the question is replaced by its
Spanish equivalent inside `[...]`, which Apertium passes through untouched (its superblank syntax); the
brackets are removed afterwards. Patterns are regular expressions matched case-insensitively on word
boundaries; Basque patterns allow inflectional suffixes (`\\w*`). Longer patterns are tried first.

The list covers general terminology of the procedure (Ley 39/2015), public-sector (Ley 40/2015),
transparency (Ley 19/2013) and data-protection (LO 3/2018) laws; extend it per language as needed.
"""

from __future__ import annotations

import re
from functools import lru_cache

GLOSSARY: dict[str, dict[str, str]] = {
    "eu": {
        r"gorako errekurts\w*": "recurso de alzada",
        r"berraztertzeko (?:aukerako )?errekurts\w*": "recurso de reposición",
        r"aukerako berraztertze[- ]errekurts\w*": "recurso potestativo de reposición",
        r"administrazio[- ]errekurts\w*": "recursos administrativos",
        r"errekurts\w*": "recurso",
        r"administrazio[- ]egintz\w*": "actos administrativos",
        r"egintz\w*": "acto",
        r"erabat deusez\w*": "nulos de pleno derecho",
        r"ofiziozko berrikuspen\w*|ofizioz berrikus\w*": "revisión de oficio",
        r"ofizioz": "de oficio",
        r"administrazio isiltasun\w*|isiltasun\w*": "silencio administrativo",
        r"entzunaldi[- ]izapide\w*|entzunaldi\w*": "trámite de audiencia",
        r"interesdun\w*": "interesados",
        r"egoitza elektroniko\w*": "sede electrónica",
        r"sarbide puntu orokor\w*": "Punto de Acceso General",
        r"erregistro elektroniko\w*": "registro electrónico",
        r"ahalordetzeen erregistro elektroniko\w*": "Registro Electrónico de Apoderamientos",
        r"sinadura elektroniko\w*": "firma electrónica",
        r"kopia benetako\w*|benetako kopi\w*": "copia auténtica",
        r"administrazio[- ]espediente elektroniko\w*": "expediente administrativo electrónico",
        r"espediente\w*": "expediente",
        r"informazio publiko\w*": "información pública",
        r"eskuratzeko eskubide\w*|sarbide[- ]eskubide\w*": "derecho de acceso",
        r"gardentasun eta gobernu oneko kontseilu\w*": "Consejo de Transparencia y Buen Gobierno",
        r"gardentasun kontseilu\w*": "Consejo de Transparencia",
        r"gardentasunaren atari\w*": "Portal de la Transparencia",
        r"datu pertsonal\w*": "datos personales",
        r"datuak babesteko ordezkari\w*": "delegado de protección de datos",
        r"datuen babes\w*": "protección de datos",
        r"ahazteko eskubide\w*": "derecho al olvido",
        r"bideozaintza\w*": "videovigilancia",
        r"jakinarazpen\w*": "notificaciones",
        r"jakinarazteko|jakinarazi": "notificar",
        r"ebazteko|ebatzi": "resolver",
        r"ebazpen\w*": "resolución",
        r"epe\w*": "plazo",
        r"eskaer\w*": "solicitud",
        r"zuzentzeko|zuzendu": "subsanar",
        r"betearazle\w*": "ejecutivos",
        r"atzera egin": "desistir",
        r"uko egin": "renunciar",
        r"izapide\w*": "trámites",
        r"prozedur\w*": "procedimiento",
        r"administrazio publiko\w*": "Administración Pública",
        r"administrazio\w*": "Administración",
        r"funtzionario\w*": "funcionario",
        r"kontratu[- ]errekurtsoen administrazio auzitegi zentral\w*": (
            "Tribunal Administrativo Central de Recursos Contractuales"
        ),
        r"(\d+/\d{4}) legearen (\d+)\. artikulu\w*": r"artículo \2 de la Ley \1",
    },
    "en": {
        r"ordinary appeals?|appeals? to a higher authority": "recurso de alzada",
        r"(?:optional )?appeals? for reconsideration|reconsideration appeals?": "recurso de reposición",
        r"administrative appeals?": "recursos administrativos",
        r"administrative acts?": "actos administrativos",
        r"null and void": "nulos de pleno derecho",
        r"on its own initiative|ex officio": "de oficio",
        r"administrative silence": "silencio administrativo",
        r"deemed granted": "estimado por silencio",
        r"hearing": "trámite de audiencia",
        r"interested part(?:y|ies)": "interesados",
        r"electronic office": "sede electrónica",
        r"general access point": "Punto de Acceso General",
        r"electronic regist(?:ry|er) of powers of attorney": "Registro Electrónico de Apoderamientos",
        r"electronic regist(?:ry|er)": "registro electrónico",
        r"electronic signatures?": "firma electrónica",
        r"authentic cop(?:y|ies)": "copia auténtica",
        r"electronic administrative file": "expediente administrativo electrónico",
        r"public information": "información pública",
        r"right of access|right to access": "derecho de acceso",
        r"council for transparency and good governance": "Consejo de Transparencia y Buen Gobierno",
        r"transparency council": "Consejo de Transparencia",
        r"transparency portal": "Portal de la Transparencia",
        r"data protection officer": "delegado de protección de datos",
        r"data controller|controller": "responsable del tratamiento",
        r"right to be forgotten": "derecho al olvido",
        r"video surveillance": "videovigilancia",
        r"time limits?|deadlines?": "plazo",
        r"lodge": "interponer",
        r"files?": "expediente",
        r"applications?|requests?": "solicitud",
        r"enforceable": "ejecutivos",
        r"withdraw": "desistir",
        r"waive": "renunciar",
        r"civil servants?|public officials?": "funcionario",
        r"public administrations?": "Administración Pública",
        r"central administrative court for contract appeals": (
            "Tribunal Administrativo Central de Recursos Contractuales"
        ),
        r"article (\d+) of law (\d+/\d{4})": r"artículo \1 de la Ley \2",
        # Administrative-law senses and Apertium gaps of common words (eng-spa 0.8): an administrative
        # "appeal" is a recurso (apelación is a court appeal), "must" is not the noun mosto, "decide" a
        # claim is resolver, "conditions" are not afecciones, GDPR "erasure" is supresión.
        r"appeals?": "recurso",
        r"must": "debe",
        r"(?:failure to decide|not deciding|lack of (?:a )?decision)(?: (?:in|on) time)?": (
            "falta de resolución en plazo"
        ),
        r"decid(?:es?|ed|ing) on|decid(?:es?|ed|ing)": "resolver",
        r"fines?": "multa",
        r"penalt(?:y|ies)|sanctions?": "sanción",
        r"in time|on time|within the time limit": "en plazo",
        r"conditions?": "condiciones",
        r"rectify|remedy (?:it|them|the defects?)|correct (?:it|them|the defects?)": "subsanar",
        r"(?:declared )?inadmissible": "inadmitida",
        r"eras(?:ure|ed?)": "supresión",
        r"personal data": "datos personales",
        r"formalit(?:y|ies)|administrative procedures?": "trámites",
        r"submit(?:ting)?|fil(?:e|ing) (?:an?|the|my)": "presentar",
    },
    "ca": {
        r"recurs(?:os)? d'alçada": "recurso de alzada",
        r"recurs(?:os)? (?:potestatiu )?de reposició": "recurso de reposición",
        r"seu electrònica": "sede electrónica",
        r"esmenar|esmenar-la": "subsanar",
        r"silenci administratiu": "silencio administrativo",
    },
    "gl": {
        r"recursos? de alzada": "recurso de alzada",
        r"emendar|emendala|emendalo": "subsanar",
        r"sede electrónica": "sede electrónica",
    },
}


@lru_cache(maxsize=8)
def _compiled(lang: str) -> list[tuple[re.Pattern[str], str]]:
    entries = sorted(GLOSSARY.get(lang, {}).items(), key=lambda kv: -len(kv[0]))
    return [
        (re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE), spanish) for pattern, spanish in entries
    ]


def protect_terms(text: str, lang: str) -> str:
    """`text` with each glossary term replaced by `[Spanish term]` (user brackets become parentheses)."""
    out = text.replace("[", "(").replace("]", ")")
    for pattern, spanish in _compiled(lang):

        def bracket(match: re.Match[str], pattern: re.Pattern[str] = pattern, spanish: str = spanish) -> str:
            return "[" + pattern.sub(spanish, match.group(0)) + "]"

        out = pattern.sub(bracket, out)
    return re.sub(r"\[([^\[\]]*)\[([^\[\]]*)\]([^\[\]]*)\]", r"[\1\2\3]", out)


def unprotect(text: str) -> str:
    return text.replace("[", "").replace("]", "")
