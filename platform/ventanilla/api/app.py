"""The HTTP API (FastAPI): health, domains and `POST /v1/ask`.

Malformed requests get a 4xx with a message in the caller's language; the service never answers
without its AI-disclosure notice and sources.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from ventanilla import __version__
from ventanilla.answer.service import MAX_QUESTION_CHARS, AskError, AskService
from ventanilla.audit.api import audit_router
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
        "sources or abstains, and tells the user they are talking to an AI system.",
        lifespan=lifespan,
    )

    @app.exception_handler(AskError)
    async def ask_error(_: Request, exc: AskError) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content={"detail": str(exc)})

    app.include_router(audit_router(settings, lambda: state["service"]))  # audit trail (issue 7)

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/v1/domains", tags=["ask"])
    def list_domains(lang: Lang = "es") -> list[dict[str, Any]]:
        service: AskService = state["service"]
        return [
            {"name": name, "title": d.config.title(lang), "languages": list(d.config.languages)}
            for name, d in sorted(service.domains.items())
        ]

    def ensure_ready(domain: str, lang: str) -> None:
        service: AskService = state["service"]
        for name in service.resolve_domains(domain, lang=lang):
            if name not in ready:
                if get_store(settings, name).count_documents() == 0:
                    raise AskError(t("error_index_not_ready", lang, domain=name), 503)
                ready.add(name)

    @app.post("/v1/ask", response_model=AskResponse, tags=["ask"])
    async def ask(request: AskRequest) -> Any:
        service: AskService = state["service"]
        lang = request.lang or detect_language(request.question, fallbacks=settings.language_fallbacks)
        ensure_ready(request.domain, lang)
        # --- generation (issue 6): streaming and the per-request failure policy ---
        if request.stream:
            return await sse_response(
                service, lang, question=request.question, domain=request.domain, lang=request.lang,
                access=("public",), top_k=request.top_k, on_llm_failure=request.on_llm_failure,
            )  # fmt: skip
        result = await run_in_threadpool(
            lambda: service.ask(
                request.question,
                request.domain,
                request.lang,
                ("public",),
                request.top_k,
                on_llm_failure=request.on_llm_failure,
            )
        )
        # --- end generation ---
        return result.as_json()

    app.include_router(chat_router(lambda: state["service"], ensure_ready))  # generation (issue 6)

    return app
