"""The citizen widget in real headless Chromium (issue 8): embedded by one <script> tag in a host page
on another origin, AI disclosure first, a streamed answer with linked sources, feedback, language
switch, keyboard only, abstention with the contact route, and no serious axe-core violations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from browser_support import CHROMIUM, chromium, static_site
from conftest import REPO
from generation_support import ThreadServer
from ventanilla.auth.keys import KeyStore
from ventanilla.i18n import t
from ventanilla.settings import get_settings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium not installed (scripts/setup.sh)"),
]
ARTIFACTS = REPO / "var" / "artifacts"
QUESTION = "¿Cuánto tiempo tiene la Administración para resolver y notificar mi solicitud?"
INTERNAL_QUESTION = (
    "¿Cuándo debe revisar el personal de la unidad de registro la bandeja de entrada de la sede?"
)
OFF_TOPIC = "¿Cuántos puntos del carné de conducir se pierden por usar el móvil al volante?"
HOST_PAGE = """<!doctype html><html lang="es"><head><meta charset="utf-8"><title>Sede de prueba</title>
<style>body {{ font: 40px Georgia; color: red; }} button {{ background: yellow !important; }}</style></head>
<body><main><h1>Sede de prueba</h1><p><a href="#info">Información</a></p></main>
<script src="{api}/widget/ventanilla-widget.js" data-key="{key}" data-domain="prueba" defer></script>
</body></html>"""


@pytest.fixture(scope="module")
def site(client: TestClient, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The API on a real port, and a host page on another origin with a widget key bound to it."""
    from ventanilla.api.app import create_app

    folder = tmp_path_factory.mktemp("host")
    with ThreadServer(create_app()) as api, static_site(folder) as host:
        token, _ = KeyStore(get_settings()).create("widget-test", "citizen", origins=(host,))
        (folder / "index.html").write_text(HOST_PAGE.format(api=api.url, key=token), encoding="utf-8")
        yield {"api": api.url, "host": host}


def _shadow_focus(page: Any) -> str:
    return str(page.evaluate("document.querySelector('ventanilla-chat').shadowRoot.activeElement?.id || ''"))


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    return [f"{v['id']}: {v['help']}" for v in violations if v.get("impact") in ("serious", "critical")]


def test_widget_end_to_end(site: dict[str, Any]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(locale="es-ES")
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{site['host']}/index.html")
        widget = page.locator("ventanilla-chat")
        page.wait_for_selector("ventanilla-chat[data-ready=es]")
        bubble = widget.locator(".bubble")
        assert bubble.text_content() == t("widget_title", "es")
        assert bubble.evaluate("b => getComputedStyle(b).fontSize") == "16px"  # host styles kept out

        # keyboard only: Tab to the bubble (after the host page's link), Enter opens, focus on the notice
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "VENTANILLA-CHAT"
        page.keyboard.press("Enter")
        assert bubble.get_attribute("aria-expanded") == "true"
        disclosure = widget.locator("#vt-disclosure-text")
        assert disclosure.is_visible() and disclosure.text_content() == t("ai_disclosure", "es")
        assert not widget.locator("#vt-q").is_visible()  # no question before the AI notice
        assert _shadow_focus(page) == "vt-accept"
        page.screenshot(path=str(ARTIFACTS / "widget-disclosure.png"))
        assert _serious(page) == []
        page.keyboard.press("Enter")
        assert _shadow_focus(page) == "vt-q"

        page.keyboard.type(QUESTION)
        page.keyboard.press("Enter")
        answer = widget.locator(".msg.bot").last
        page.wait_for_selector("ventanilla-chat >> .msg.bot[data-done]", timeout=60_000)
        assert answer.get_attribute("data-done") == "extractive", answer.text_content()
        links = answer.locator(".sources a")
        assert links.count() >= 1
        assert all(
            links.nth(i).get_attribute("href").startswith("https://www.boe.es/") for i in range(links.count())
        )
        assert widget.locator(".log").get_attribute("aria-live") == "polite"
        page.screenshot(path=str(ARTIFACTS / "widget-answer.png"))

        answer.locator(".thumb").first.click()
        answer.locator(".feedback textarea").fill("Muy clara")
        answer.locator(".feedback .btn").click()
        page.wait_for_selector("ventanilla-chat >> .feedback[data-sent]")
        assert answer.locator(".feedback").text_content() == t("feedback_thanks", "es")
        assert _serious(page) == []

        widget.locator("#vt-lang").select_option("gl")
        page.wait_for_selector("ventanilla-chat[data-ready=gl]")
        assert widget.locator("#vt-title").text_content() == t("widget_title", "gl")
        widget.locator("#vt-q").fill(OFF_TOPIC)
        widget.locator("#vt-send").click()
        page.wait_for_function(
            "document.querySelector('ventanilla-chat').shadowRoot.querySelectorAll('.msg.bot[data-done]')"
            ".length === 2"
        )
        abstained = widget.locator(".msg.bot").last
        assert abstained.get_attribute("data-done") == "abstained"
        assert abstained.locator(".contact a").get_attribute("href") == "https://administracion.gob.es"
        page.screenshot(path=str(ARTIFACTS / "widget-abstained-gl.png"))
        assert _serious(page) == []

        page.keyboard.press("Escape")
        assert bubble.get_attribute("aria-expanded") == "false"
        assert errors == []


def test_widget_key_refused_from_another_origin(site: dict[str, Any]) -> None:
    """From the host page, the browser's real Origin header: a widget key bound to another origin is
    refused (403); the widget's static file needs no key."""
    elsewhere, _ = KeyStore(get_settings()).create(
        "other-site", "citizen", origins=("https://elsewhere.example",)
    )
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{site['host']}/index.html")
        script = (
            "async ([url, key]) => (await fetch(url, {headers: {Authorization: 'Bearer ' + key}})).status"
        )
        assert page.evaluate(script, [f"{site['api']}/v1/domains", elsewhere]) == 403
        assert page.evaluate(script, [f"{site['api']}/widget/ventanilla-widget.js", ""]) == 200


def test_staff_pages_in_the_browser(site: dict[str, Any]) -> None:
    """/internal shows internal sources with full excerpts to an internal key; /clinician shows the
    masked spans and the restored answer; both without serious axe violations."""
    internal = KeyStore(get_settings()).create("staff-internal", "internal", per_minute=0, per_day=0)[0]
    clinician = KeyStore(get_settings()).create("staff-clinician", "clinician", per_minute=0, per_day=0)[0]
    with chromium() as browser:
        page = browser.new_page()
        page.goto(f"{site['api']}/internal")
        page.fill("#key", internal)
        page.fill("#domain", "prueba")
        page.fill("#question", INTERNAL_QUESTION)
        page.click("button[type=submit]")
        page.wait_for_selector("#answer")
        first = page.locator(".source").first
        assert first.locator(".badge").text_content() == "internal"
        assert "bandeja de entrada" in (first.locator("pre").text_content() or "")
        page.screenshot(path=str(ARTIFACTS / "internal.png"), full_page=True)
        assert _serious(page) == []

        page.goto(f"{site['api']}/clinician")
        page.fill("#key", clinician)
        page.fill("#domain", "prueba")
        page.fill("#note", "Paciente: Carmen Ortiz Vega, DNI 12345678Z.")
        page.fill(
            "#question", "¿En qué plazo debe resolver la Administración la solicitud de Carmen Ortiz Vega?"
        )
        page.click("button[type=submit]")
        page.wait_for_selector("#spans")
        assert "Carmen Ortiz Vega" in (page.locator("#spans").text_content() or "")
        assert page.locator("mark").count() >= 2
        page.screenshot(path=str(ARTIFACTS / "clinician.png"), full_page=True)
        assert _serious(page) == []
