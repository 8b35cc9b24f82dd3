"""Co-official languages: identification, the gettext catalogue, query translation and the answer
language through the API (issue 5)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import REPO, SHARED_DATA
from ventanilla.i18n import LOCALE_DIR, compile_catalogues, locale_for, message_keys, t
from ventanilla.language import IDENTIFIED_LANGUAGES, detect_language, identify, normalize_language
from ventanilla.language.dictionaries import available, word_evidence

LANGID_DEV = SHARED_DATA / "langid" / "dev"
XLING = REPO / "eval" / "qa" / "xling"

# Short questions (2-6 words) written for these tests, as citizens type them.
SHORT_QUESTIONS = {
    "es": ["¿Cuánto tarda la resolución?", "Plazo del recurso de alzada", "¿Dónde presento mi solicitud?",
           "Necesito una cita previa", "¿Qué es el silencio administrativo?"],
    "ca": ["Quin és el termini?", "On presento la sol·licitud?", "Necessito una cita prèvia",
           "Què és el silenci administratiu?", "Quant triga la resolució?"],
    "eu": ["Zein da epea?", "Non aurkeztu eskaera?", "Zer da administrazio isiltasuna?",
           "Aurretiko hitzordua behar dut", "Zenbat denbora behar da?"],
    "gl": ["Cal é o prazo?", "Onde presento a solicitude?", "Necesito unha cita previa",
           "Que é o silencio administrativo?", "Canto tarda a resolución?"],
    "en": ["What is the deadline?", "Where do I apply?", "I need an appointment",
           "How long does it take?", "Who can access public information?"],
    "pt": ["Qual é o prazo?", "Onde apresento o pedido?", "Preciso de uma marcação",
           "Quanto tempo demora?", "Não recebi resposta nenhuma"],
    "fr": ["Quel est le délai?", "Où dois-je déposer ma demande?", "J'ai besoin d'un rendez-vous",
           "Combien de temps faut-il?", "Qui peut accéder aux informations publiques?"],
}  # fmt: skip

FRENCH_SENTENCES = [
    "Les citoyens peuvent présenter leurs demandes auprès de n'importe quel bureau de l'administration.",
    "Le délai maximal pour notifier la décision est de trois mois, sauf disposition contraire.",
    "Je voudrais savoir quels documents je dois fournir pour obtenir une aide au logement.",
]


@pytest.mark.parametrize("lang", sorted(SHORT_QUESTIONS))
def test_short_questions(lang: str) -> None:
    found = [identify(q) for q in SHORT_QUESTIONS[lang]]
    assert [f.language if f else None for f in found] == [lang] * len(found)


# 3-word openings whose function words are shared by es/gl/pt: only a content word tells them apart.
CONTENT_WORD_SNIPPETS = {
    "es": ["Todavía no sé", "El gobierno federal", "La encuesta anual"],
    "gl": ["O goberno federal", "A enquisa anual", "Aínda non sei"],
    "pt": ["O governo federal", "A sondagem anual", "Ainda não sei"],
}


def test_every_spelling_dictionary_is_installed() -> None:
    # scripts/setup.sh installs libenchant and the Hunspell packages; identification needs all seven.
    assert available() == tuple(sorted(IDENTIFIED_LANGUAGES))


def test_word_evidence_is_shared_among_the_languages_that_know_the_word() -> None:
    langs = IDENTIFIED_LANGUAGES
    only_gl = word_evidence(["goberno"], langs)
    assert only_gl[langs.index("gl")] == pytest.approx(1.0) and only_gl.sum() == pytest.approx(1.0)
    assert word_evidence(["Todavía"], langs)[langs.index("es")] == pytest.approx(1.0)  # capitalised
    shared = word_evidence(["gastos"], langs)
    assert 0.0 < shared[langs.index("pt")] < 1.0 and shared[langs.index("eu")] == 0.0
    assert word_evidence(["Xqzvwt", "2026"], langs).sum() == 0.0  # unknown names and numbers: no evidence


@pytest.mark.parametrize("lang", sorted(CONTENT_WORD_SNIPPETS))
def test_short_snippets_decided_by_a_content_word(lang: str) -> None:
    found = [identify(q) for q in CONTENT_WORD_SNIPPETS[lang]]
    assert [f.language if f else None for f in found] == [lang] * len(found)


@pytest.mark.parametrize("lang", ["es", "ca", "eu", "gl", "en", "pt"])
def test_dev_sentences(lang: str) -> None:
    lines = [x for x in (LANGID_DEV / f"{lang}.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    hits = sum(1 for x in lines if (found := identify(x)) is not None and found.language == lang)
    assert hits / len(lines) >= 0.985


def test_french_sentences_and_fallbacks() -> None:
    assert all((f := identify(s)) is not None and f.language == "fr" for s in FRENCH_SENTENCES)
    assert detect_language(FRENCH_SENTENCES[0]) == "es"  # product fallback for French
    assert detect_language("Não recebi resposta nenhuma da administração") == "gl"
    assert detect_language("Não recebi resposta", fallbacks={"pt": "en"}) == "en"
    assert detect_language("12345 ¿?") == "es"


def test_mixed_text_reports_main_language() -> None:
    catalan = (
        "Vull saber quin termini tinc per presentar el recurs contra la resolució que em van notificar. "
        "La notificació deia textualment: «Contra esta resolución cabe recurso de alzada». "
        "M'agradaria també saber si el puc presentar per via electrònica des de casa meva. "
        "Gràcies per la vostra ajuda i per l'atenció que em dediqueu."
    )
    found = identify(catalan)
    assert found is not None and found.language == "ca"
    spanish = (
        "¿Qué significa «silenci administratiu positiu»? Me lo dijeron en la ventanilla y no lo entendí bien."
    )
    assert detect_language(spanish) == "es"


@pytest.mark.parametrize(
    ("tag", "expected", "locale"),
    [
        ("ca", ("ca", None), "ca"),
        ("ca-valencia", ("ca", "valencia"), "ca@valencia"),
        ("ca_ES@valencia", ("ca", "valencia"), "ca@valencia"),
        ("ca-ES-valencia", ("ca", "valencia"), "ca@valencia"),
        ("va", ("ca", "valencia"), "ca@valencia"),
        ("gl-ES", ("gl", None), "gl"),
        ("eu_ES.UTF-8", ("eu", None), "eu"),
        ("EN", ("en", None), "en"),
    ],
)
def test_language_tags(tag: str, expected: tuple[str, str | None], locale: str) -> None:
    assert normalize_language(tag) == expected
    assert locale_for(tag) == locale


def test_unsupported_language_tag() -> None:
    with pytest.raises(ValueError):
        normalize_language("fr")
    assert locale_for("fr") == "es"


def test_lang_eval_cli_json(tmp_path: Path) -> None:
    from ventanilla.cli import app

    (tmp_path / "fr.txt").write_text("\n".join(FRENCH_SENTENCES) + "\n", encoding="utf-8")
    (tmp_path / "gl.txt").write_text("Cal é o prazo para recorrer?\nOnde presento a miña solicitude?\n")
    (tmp_path / "es.txt").write_text("¿Cuál es el plazo para recurrir la multa de tráfico?\n")
    result = CliRunner().invoke(app, ["lang", "eval", "--dir", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"accuracy", "per_language", "confusion", "snippet_accuracy"} <= set(report)
    assert set(report["per_language"]) == {"fr", "gl", "es"}
    assert set(report["snippet_accuracy"]) == {"3", "5"}
    assert report["confusion"]["fr"].get("fr") == 3
    assert 0.0 <= report["accuracy"] <= 1.0


def test_lang_eval_cli_rejects_empty_folder(tmp_path: Path) -> None:
    from ventanilla.cli import app

    result = CliRunner().invoke(app, ["lang", "eval", "--dir", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "not a folder" in result.output


# --- the catalogue --------------------------------------------------------------------------------


def test_compiled_catalogues_match_the_po_files() -> None:
    assert compile_catalogues(check=True) == [], "run `ventanilla lang compile-messages`"


def test_every_key_used_in_code_is_in_the_catalogue() -> None:
    used: set[str] = set()
    for path in (REPO / "platform" / "ventanilla").rglob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_]+)\"", path.read_text(encoding="utf-8")))
    assert used, "no t(...) call found"
    assert used - message_keys() == set()


def test_valencian_variant_overrides_and_falls_back() -> None:
    assert "contindre" in t("ai_disclosure", "ca-valencia")
    assert "contenir" in t("ai_disclosure", "ca")
    assert t("error_empty_question", "ca_ES@valencia") == t("error_empty_question", "ca")
    for key in message_keys():
        fields = {
            "domain": "d",
            "available": "a",
            "max": 1,
            "lang": "x",
            "ref": "r",
            "n": 1,
            "audit_id": "i",
            "role": "r",
            "origin": "o",
            "seconds": 1,
            "channel": "c",
        }  # fmt: skip  (channels, issue 8)
        assert t(key, "ca@valencia", **fields)


def test_missing_key_is_an_error() -> None:
    from ventanilla.i18n import MissingMessage

    with pytest.raises(MissingMessage):
        t("no_such_key_anywhere", "es")


def test_locale_folder_has_every_language() -> None:
    assert sorted(p.name for p in LOCALE_DIR.iterdir() if p.is_dir()) == sorted(
        ["es", "ca", "eu", "gl", "en", "ca@valencia"]
    )


# --- translation and cross-lingual data -------------------------------------------------------------

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None, reason="apertium not installed (setup.sh)"
)


@needs_apertium
@pytest.mark.parametrize(
    ("lang", "question", "expected_word"),
    [
        ("ca", "Quin termini tinc per interposar un recurs d'alçada?", "alzada"),
        ("gl", "Que prazo teño para interpoñer un recurso de alzada?", "plazo"),
        ("eu", "Nork du informazio publikoa eskuratzeko eskubidea?", "información"),
        ("en", "Who has the right to access public information?", "información"),
    ],
)
def test_apertium_translates_to_spanish(lang: str, question: str, expected_word: str) -> None:
    from ventanilla.language.translate import ApertiumTranslator, QueryTranslator

    out = QueryTranslator(ApertiumTranslator()).run(text=question, lang=lang)
    assert out["translated"] is True
    assert expected_word in out["query"].lower()
    assert identify(out["query"]).language == "es"  # type: ignore[union-attr]


def test_glossary_protects_administrative_terms() -> None:
    from ventanilla.language.glossary import protect_terms, unprotect

    protected = protect_terms("What must I do to file an appeal against a fine? [sic]", "en")
    assert "[debe]" in protected and "[recurso]" in protected and "[multa]" in protected
    assert "(sic)" in protected  # the user's own brackets cannot smuggle a term past the translator
    assert unprotect("[recurso de alzada]") == "recurso de alzada"
    assert protect_terms("Zein da gorako errekurtsoaren epea?", "eu").count("[recurso de alzada]") == 1


@needs_apertium
def test_apertium_with_glossary_keeps_the_legal_sense() -> None:
    from ventanilla.language.translate import ApertiumTranslator, QueryTranslator

    out = QueryTranslator(ApertiumTranslator()).run(text="What is the time limit for the appeal?", lang="en")
    assert "plazo" in out["query"] and "recurso" in out["query"] and "apelación" not in out["query"]
    assert (
        "mosto"
        not in QueryTranslator(ApertiumTranslator()).run(text="What must it contain?", lang="en")["query"]
    )


def test_translation_failure_keeps_the_question() -> None:
    from ventanilla.language.translate import ApertiumTranslator, QueryTranslator

    out = QueryTranslator(ApertiumTranslator(binary="no-such-apertium-binary")).run(
        text="Quin termini?", lang="ca"
    )
    assert out == {**out, "query": "Quin termini?", "translated": False}
    assert QueryTranslator(ApertiumTranslator()).run(text="¿Qué plazo?", lang="es")["translated"] is False


def test_openai_translator_error_is_reported() -> None:
    from ventanilla.language.translate import OpenAITranslator, TranslationError

    with pytest.raises(TranslationError):
        OpenAITranslator(url="http://127.0.0.1:9/v1", model="m", timeout_s=1).translate("Bon dia", "ca")


def test_xling_questions_keep_ids_and_languages() -> None:
    spanish = [json.loads(x) for x in (XLING / "questions.es.jsonl").read_text().splitlines()]
    for lang in ("ca", "eu", "gl", "en"):
        rows = [json.loads(x) for x in (XLING / f"questions.{lang}.jsonl").read_text().splitlines()]
        assert [r["query_id"] for r in rows] == [r["query_id"] for r in spanish]
        assert all(r["lang"] == lang and r["source_query"] for r in rows)
        detected = [detect_language(r["query"]) for r in rows]
        assert sum(d == lang for d in detected) / len(rows) >= 0.95, lang


# --- the answer language through the API ---------------------------------------------------------


ASKED = {
    "ca": ("Quin termini tinc per interposar un recurs d'alçada si l'acte és exprés?", "intel·ligència"),
    "gl": ("Que prazo teño para interpoñer un recurso de alzada se o acto é expreso?", "intelixencia"),
    "eu": ("Zer epe dut gorako errekurtsoa aurkezteko egintza espresua bada?", "Adimen artifizial"),
    "en": (
        "How long do I have to lodge an ordinary appeal if the act is express?",
        "artificial intelligence",
    ),
    "es": ("¿Qué plazo tengo para interponer un recurso de alzada si el acto es expreso?", "inteligencia"),
}


@pytest.mark.parametrize("lang", sorted(ASKED))
def test_api_answer_language_follows_question(client: TestClient, lang: str) -> None:
    question, disclosure_word = ASKED[lang]
    response = client.post("/v1/ask", json={"question": question, "domain": "prueba"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["language"] == lang
    assert disclosure_word in body["ai_disclosure"]
    if body["mode"] == "extractive":
        assert body["answer"].startswith(t("extractive_intro", lang))
    else:
        assert body["answer"] == t("abstain", lang)


@needs_apertium
@pytest.mark.parametrize("lang", ["ca", "gl", "eu", "en"])
def test_api_translated_question_finds_the_spanish_article(client: TestClient, lang: str) -> None:
    response = client.post("/v1/ask", json={"question": ASKED[lang][0], "domain": "prueba"})
    body = response.json()
    assert body["mode"] == "extractive"
    assert "BOE-A-2015-10565__a122" in [s["parent_id"] for s in body["sources"][:3]]


def test_api_explicit_lang_overrides_and_valencian(client: TestClient) -> None:
    question = ASKED["es"][0]
    body = client.post("/v1/ask", json={"question": question, "domain": "prueba", "lang": "gl"}).json()
    assert body["language"] == "gl" and "intelixencia" in body["ai_disclosure"]
    body = client.post(
        "/v1/ask", json={"question": question, "domain": "prueba", "lang": "ca-valencia"}
    ).json()
    assert body["language"] == "ca" and "contindre" in body["ai_disclosure"]


def test_api_errors_in_the_question_language(client: TestClient) -> None:
    response = client.post("/v1/ask", json={"question": "Quin termini tinc?", "domain": "inexistent"})
    assert response.status_code == 404
    assert "L'àmbit «inexistent» no existeix" in response.json()["detail"]
    response = client.post("/v1/ask", json={"question": "Zein da epea?", "domain": "prueba", "lang": "xx"})
    assert response.status_code == 422 and "xx" in response.json()["detail"]
