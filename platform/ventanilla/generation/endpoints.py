"""HTTP surfaces of generation: server-sent events for `POST /v1/ask` (stream=true) and an
OpenAI-compatible `POST /v1/chat/completions` where the domain is the `model`.

Sources, checked citations, mode and the AI disclosure travel in the `ventanilla` extension field of
the completion (and of the first and last stream chunks), so existing OpenAI clients work unchanged.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.params import Depends
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ventanilla.answer.service import MAX_QUESTION_CHARS, AskService
from ventanilla.generation.streaming import Event, first_and_rest, stream_ask

Lang = Literal["es", "ca", "eu", "gl", "en"]
OnFailureField = Literal["extractive", "error"]
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


async def sse_response(
    service: AskService, request_lang: str, **ask_kwargs: Any
) -> JSONResponse | StreamingResponse:
    """`text/event-stream` of sources, tokens and the final answer; a request error stays a plain 4xx/5xx."""
    first, events = await run_in_threadpool(first_and_rest, stream_ask(service, request_lang, **ask_kwargs))
    if first.kind == "error":
        return JSONResponse(status_code=first.data["status"], content={"detail": first.data["detail"]})
    return StreamingResponse(
        (event.sse() for event in events), media_type="text/event-stream", headers=SSE_HEADERS
    )


class ChatMessageIn(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        parts = self.content or []
        return "".join(str(p.get("text", "")) for p in parts if p.get("type") == "text")


class ChatCompletionRequest(BaseModel):
    """The OpenAI request; sampling fields are accepted and ignored (the domain's `llm:` block rules)."""

    model_config = ConfigDict(extra="allow")

    model: str = Field(min_length=1, max_length=64, description="The domain name, or 'all'.")
    messages: list[ChatMessageIn] = Field(min_length=1)
    stream: bool = False
    lang: Lang | None = Field(default=None, description="Extension: answer language.")
    top_k: int | None = Field(default=None, ge=1, le=20, description="Extension: number of sources.")
    on_llm_failure: OnFailureField | None = Field(default=None, description="Extension: failure policy.")


def _error(status: int, message: str) -> JSONResponse:
    kind = "invalid_request_error" if status < 500 else "service_unavailable"
    error = {"message": message, "type": kind, "code": status}
    return JSONResponse(status_code=status, content={"error": error, "detail": message})


def chat_router(
    get_service: Callable[[], AskService], ensure_ready: Callable[[str, str], None], caller: Depends
) -> APIRouter:
    """The `/v1/chat/completions` route; `ensure_ready(domain, lang)` raises AskError when not indexed;
    `caller` is the API-key dependency (channels, issue 8): the key fixes domains and access levels."""
    router = APIRouter(tags=["openai"])

    @router.post("/v1/chat/completions", response_model=None)
    async def chat_completions(
        request: ChatCompletionRequest, who: Any = caller
    ) -> JSONResponse | StreamingResponse:
        service = get_service()
        lang = request.lang or "es"
        users = [m.text() for m in request.messages if m.role == "user"]
        question = users[-1].strip() if users else ""
        if not question:
            return _error(422, "the last user message is empty")
        if len(question) > MAX_QUESTION_CHARS:
            return _error(422, f"the question is longer than {MAX_QUESTION_CHARS} characters")
        who.check_domain(request.model, lang)
        ensure_ready(request.model, lang)
        kwargs = {"question": question, "domain": request.model, "lang": request.lang, "access": who.access,
                  "top_k": request.top_k, "on_llm_failure": request.on_llm_failure,
                  "channel": who.channel, "caller_key_id": who.key.id}  # fmt: skip
        first, events = await run_in_threadpool(first_and_rest, stream_ask(service, lang, **kwargs))
        if first.kind == "error":
            return _error(first.data["status"], first.data["detail"])
        completion_id = f"chatcmpl-{uuid.uuid4().hex}"
        created = int(time.time())
        if not request.stream:
            return JSONResponse(_complete(events, completion_id, created, request.model))
        return StreamingResponse(
            _chunks(events, completion_id, created, request.model), media_type="text/event-stream",
            headers=SSE_HEADERS,
        )  # fmt: skip

    return router


def _complete(events: Iterator[Event], completion_id: str, created: int, model: str) -> dict[str, Any]:
    final: dict[str, Any] = {}
    for event in events:
        if event.kind == "final":
            final = event.data
        elif event.kind == "error":
            raise RuntimeError(event.data["detail"])
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": final.get("answer", "")},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "ventanilla": final,
    }


def _chunks(events: Iterator[Event], completion_id: str, created: int, model: str) -> Iterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None, extension: Any = None) -> str:
        body: dict[str, Any] = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        if extension is not None:
            body["ventanilla"] = extension
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    for event in events:
        if event.kind == "sources":
            yield chunk({"role": "assistant", "content": ""}, extension={"sources": event.data})
        elif event.kind == "token":
            yield chunk({"content": event.data["text"]})
        elif event.kind == "final":
            yield chunk({}, finish="stop", extension=event.data)
        elif event.kind == "error":
            error = {
                "message": event.data["detail"],
                "type": "service_unavailable",
                "code": event.data["status"],
            }
            yield f"data: {json.dumps({'error': error}, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"
