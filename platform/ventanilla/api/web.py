"""The browser side of the channels: the citizen widget's static files (no key), its localized
configuration (`GET /v1/widget/config`, key required) and, when `VENTANILLA_DEMO` is on, a `/demo` host
page with a citizen widget key bootstrapped for the local origin (docs/channels.md)."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, FastAPI
from fastapi.params import Depends
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from ventanilla.api.errors import error_responses
from ventanilla.auth.keys import KeyStore
from ventanilla.i18n import t
from ventanilla.settings import Settings

if TYPE_CHECKING:
    from ventanilla.answer.service import AskService

STATIC = Path(__file__).resolve().parents[1] / "static"
WIDGET_STRINGS = ("title", "open", "close", "accept", "language", "question", "send", "sources", "thinking",
                  "helpful", "not_helpful", "comment", "send_feedback", "contact", "error")  # fmt: skip
DEMO_KEY_NAME = "demo-widget"
Lang = Literal["es", "ca", "eu", "gl", "en"]


def widget_config(service: AskService, domain: str, lang: str) -> dict[str, Any]:
    contact = None
    domains = service.domains
    config = domains[domain].config if domain in domains else None
    if config is not None and config.contact is not None:
        c = config.contact
        contact = {"url": c.url, "phone": c.phone, "text": c.text(lang)}
    return {
        "lang": lang,
        "domain": domain,
        "domain_title": config.title(lang) if config is not None else None,
        "ai_disclosure": t("ai_disclosure", lang),
        "strings": {name: t(f"widget_{name}", lang) for name in WIDGET_STRINGS},
        "contact": contact,
    }


def web_router(get_service: Callable[[], AskService], caller: Depends) -> APIRouter:
    router = APIRouter(tags=["widget"])

    @router.get("/v1/widget/config", responses=error_responses(401, 403, 429))
    def config(domain: str = "all", lang: Lang = "es", who: Any = caller) -> dict[str, Any]:
        """Texts of the widget in `lang` (AI disclosure, labels) and the domain's human-contact route."""
        if domain != "all":
            who.check_domain(domain, lang)
        return widget_config(get_service(), domain, lang)

    return router


def mount_static(app: FastAPI) -> None:
    """`/widget/…`: the widget script, public by nature (the key bound to an origin is what protects);
    `/static/…` and the staff pages `/clinician`, `/internal`: HTML shells that hold no data (every
    call they make needs the user's key)."""
    app.mount("/widget", StaticFiles(directory=STATIC / "widget"), name="widget")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    for page in ("clinician", "internal"):
        app.add_api_route(
            f"/{page}", _page(STATIC / f"{page}.html"), methods=["GET"], response_class=HTMLResponse,
            include_in_schema=False,
        )  # fmt: skip


def _page(path: Path) -> Callable[[], HTMLResponse]:
    def serve() -> HTMLResponse:
        return HTMLResponse(path.read_text(encoding="utf-8"))

    return serve


def demo_origins(settings: Settings) -> list[str]:
    if settings.demo_origins:
        return list(settings.demo_origins)
    hosts = {"127.0.0.1", "localhost"} if settings.host in ("0.0.0.0", "127.0.0.1", "localhost") else set()
    hosts.add(settings.host)
    return sorted(f"http://{h}:{settings.port}" for h in hosts if h != "0.0.0.0")


def bootstrap_demo_key(settings: Settings, store: KeyStore) -> str:
    """A fresh citizen widget key for the demo page, bound to the local origins (older ones revoked:
    a token is never stored, so each start mints a new one)."""
    for key in store.list():
        if key.name == DEMO_KEY_NAME and not key.revoked:
            store.revoke(key.id)
    token, _ = store.create(DEMO_KEY_NAME, "citizen", origins=tuple(demo_origins(settings)))
    return token


def demo_router(settings: Settings, store: KeyStore) -> APIRouter:
    router = APIRouter(tags=["widget"])
    token = bootstrap_demo_key(settings, store)
    domain = settings.demo_domain
    page = (STATIC / "demo.html").read_text(encoding="utf-8")
    page = page.replace("{{key}}", html.escape(token)).replace("{{domain}}", html.escape(domain))

    @router.get("/demo", response_class=HTMLResponse, include_in_schema=False)
    def demo() -> str:
        return page

    return router
