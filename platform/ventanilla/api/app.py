"""The HTTP API (FastAPI): health, domains and `POST /v1/ask`.

Malformed requests get a 4xx with a message in the caller's language; the service never answers
without its AI-disclosure notice and sources. Every route but the health check (and the widget's
static files) needs an API key; the key, never the request, decides the document access levels
(docs/channels.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ventanilla import __version__
from ventanilla.answer.service import MAX_QUESTION_CHARS, AskError, AskService
from ventanilla.api import metrics
from ventanilla.api.clinician import clinician_router
from ventanilla.api.errors import error_responses
from ventanilla.api.observe import observe_requests
from ventanilla.api.web import demo_router, mount_static, web_router
from ventanilla.audit.api import audit_router
from ventanilla.auth.cors import KeyOriginsCORS
from ventanilla.auth.deps import AuthError, Authorizer, Caller
from ventanilla.generation.endpoints import chat_router, sse_response  # generation (issue 6)
from ventanilla.i18n import t
from ventanilla.index.store import close_stores, get_store
from ventanilla.language import detect_language
from ventanilla.runtime import default_embedder, load_domains
from ventanilla.settings import get_settings

Lang = Literal["es", "ca", "eu", "gl", "en"]


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="The question.")
    domain: str = Field(min_length=1, max_length=64, description="A domain name, or 'all'.")
    lang: str | None = Field(
        default=None,
        max_length=32,
        description="Answer language (es, ca, eu, gl, en; variants such as ca-valencia); default: the "
        "question's.",
    )
    top_k: int | None = Field(default=None, ge=1, le=20, description="How many sources to return.")
    # --- generation (issue 6) ---
    stream: bool = Field(default=False, description="Server-sent events: sources, tokens, final.")
    on_llm_failure: Literal["extractive", "error"] | None = Field(
        default=None, description="LLM down or slow: labelled extractive answer, or 503 ('error')."
    )
    # --- end generation ---


class SourceOut(BaseModel):
    n: int
    id: str
    parent_id: str
    domain: str | None
    norm: str | None
    norm_title: str | None
    article: str | None
    title: str | None
    url: str | None
    access: str | None
    text: str | None
    score: float


class ModelOut(BaseModel):
    id: str
    revision: str | None
    adapter: str | None


class AskResponse(BaseModel):
    answer: str
    mode: Literal["extractive", "generative", "abstained"]
    language: str
    sources: list[SourceOut]
    citations: list[str]
    ai_disclosure: str
    audit_id: str | None
    model: ModelOut
    generation: dict[str, Any] | None = None  # generation (issue 6)


def create_app() -> FastAPI:
    settings = get_settings()
    state: dict[str, Any] = {}
    ready: set[str] = set()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        state["service"] = AskService(settings, load_domains(settings), default_embedder())
        yield
        close_stores()
        state["service"].auditor.close()  # audit trail (issue 7)

    app = FastAPI(
        title="Ventanilla",
        version=__version__,
        description="Retrieval-augmented assistants for Spanish public services. Every answer cites its "
        "sources or abstains, and tells the user they are talking to an AI system.\n\n"
        "Authentication: an API key in `Authorization: Bearer vk_…` or `X-API-Key: vk_…` on every route "
        "except `/healthz` and the widget's static files. The key's channel (citizen, clinician, "
        "internal) fixes which documents it can retrieve; its roles (ask, ingest, audit, admin) which "
        "routes it can call; widget keys only work from the browser origins they are bound to. Errors "
        'are `{"detail": message}` in the caller\'s language (`?lang=` or `Accept-Language`).',
        lifespan=lifespan,
        responses=error_responses(401, 403, 429),
    )
    # --- channels (issue 8): keys, access levels, rate limits, CORS for widget origins, metrics ---
    authz = Authorizer(settings, on_rate_limited=metrics.rate_limited)
    asker = Depends(authz.require("ask"))
    auditor_key = Depends(authz.require("audit"))
    app.add_middleware(KeyOriginsCORS, store=authz.store)
    observe_requests(app)

    @app.exception_handler(AuthError)
    async def auth_error(_: Request, exc: AuthError) -> JSONResponse:
        metrics.AUTH_REFUSED.labels(exc.kind or str(exc.status)).inc()
        return JSONResponse(status_code=exc.status, content={"detail": str(exc)}, headers=exc.headers)

    # --- end channels ---

    @app.exception_handler(AskError)
    async def ask_error(_: Request, exc: AskError) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content={"detail": str(exc)})

    app.include_router(audit_router(settings, lambda: state["service"], asker))  # audit trail (issue 7)

    @app.get("/healthz", tags=["operations"], responses={})
    def healthz() -> dict[str, str]:
        """Liveness: no key needed."""
        return {"status": "ok", "version": __version__}

    @app.get("/metrics", tags=["operations"], response_class=Response, responses=error_responses(401, 403))
    def prometheus(_: Caller = auditor_key) -> Response:
        """Prometheus metrics (requests, latency by stage, abstentions, LLM errors, rate-limit hits);
        needs an `audit` (or `admin`) key: scrape with `authorization: {credentials: …}`."""
        body, content_type = metrics.render()
        return Response(body, media_type=content_type)

    @app.get("/v1/domains", tags=["ask"])
    def list_domains(lang: Lang = "es", caller: Caller = asker) -> list[dict[str, Any]]:
        """The domains this key may ask."""
        service: AskService = state["service"]
        return [
            {"name": name, "title": d.config.title(lang), "languages": list(d.config.languages)}
            for name, d in sorted(service.domains.items())
            if caller.key.allows_domain(name)
        ]

    def ensure_ready(domain: str, lang: str) -> None:
        service: AskService = state["service"]
        for name in service.resolve_domains(domain, lang=lang):
            if name not in ready:
                if get_store(settings, name).count_documents() == 0:
                    raise AskError(t("error_index_not_ready", lang, domain=name), 503)
                ready.add(name)

    @app.post("/v1/ask", response_model=AskResponse, tags=["ask"], responses=error_responses(404, 422, 503))
    async def ask(request: AskRequest, caller: Caller = asker) -> Any:
        """Answer a question from the key's domains and access levels (JSON, or SSE with stream=true)."""
        service: AskService = state["service"]
        lang = request.lang or detect_language(request.question, fallbacks=settings.language_fallbacks)
        caller.check_domain(request.domain, lang)
        ensure_ready(request.domain, lang)
        scope = {"access": caller.access, "channel": caller.channel, "caller_key_id": caller.key.id}
        # --- generation (issue 6): streaming and the per-request failure policy ---
        if request.stream:
            streamed = await sse_response(
                service, lang, question=request.question, domain=request.domain, lang=request.lang,
                top_k=request.top_k, on_llm_failure=request.on_llm_failure, **scope,
            )  # fmt: skip
            if isinstance(streamed, StreamingResponse):
                streamed.body_iterator = metrics.observe_stream(streamed.body_iterator)
            return streamed
        result = await run_in_threadpool(
            lambda: service.ask(
                request.question,
                request.domain,
                request.lang,
                caller.access,
                request.top_k,
                channel=caller.channel,
                caller_key_id=caller.key.id,
                on_llm_failure=request.on_llm_failure,
            )
        )
        # --- end generation ---
        metrics.observe_answer(result.mode, result.timings, result.generation)
        return result.as_json()

    app.include_router(chat_router(lambda: state["service"], ensure_ready, asker))  # generation (issue 6)
    # --- channels (issue 8): the widget (static, no key), its config, the demo page ---
    app.include_router(web_router(lambda: state["service"], asker))
    app.include_router(clinician_router(lambda: state["service"], asker))
    if settings.demo:
        app.include_router(demo_router(settings, authz.store))
    mount_static(app)
    # --- end channels ---

    return app
