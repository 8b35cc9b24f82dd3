"""Prometheus metrics of the API (`GET /metrics`): requests, latency by stage, abstentions, LLM errors
and rate-limit hits. Defined once per process (prometheus-client's default registry)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Mapping

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

REQUESTS = Counter(
    "ventanilla_requests_total", "HTTP requests served.", ["route", "method", "status", "channel"]
)
LATENCY = Histogram(
    "ventanilla_request_seconds", "HTTP request latency.", ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)  # fmt: skip
STAGE = Histogram(
    "ventanilla_stage_seconds", "Latency of one stage of the ask flow (retrieval, generation...).", ["stage"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)  # fmt: skip
ANSWERS = Counter("ventanilla_answers_total", "Answers by mode (abstained counts abstentions).", ["mode"])
ABSTENTIONS = Counter("ventanilla_abstentions_total", "Questions the assistant abstained on.")
LLM_ERRORS = Counter("ventanilla_llm_errors_total", "LLM failures (fallbacks and 503s).", ["outcome"])
RATE_LIMITED = Counter("ventanilla_rate_limited_total", "Requests refused with 429.", ["channel", "scope"])
AUTH_REFUSED = Counter("ventanilla_auth_refused_total", "Requests refused for their key.", ["reason"])


def observe_answer(mode: str, timings: Mapping[str, float], generation: Mapping[str, object] | None) -> None:
    ANSWERS.labels(mode).inc()
    if mode == "abstained":
        ABSTENTIONS.inc()
    for name, ms in timings.items():
        if name.endswith("_ms"):
            STAGE.labels(name[:-3]).observe(ms / 1000)
    if generation and generation.get("fallback"):
        LLM_ERRORS.labels("fallback").inc()


def render() -> tuple[bytes, str]:
    return generate_latest(), CONTENT_TYPE_LATEST


def rate_limited(channel: str, scope: str) -> None:
    RATE_LIMITED.labels(channel, scope).inc()


async def observe_stream(chunks: AsyncIterable[str | bytes | memoryview[int]]) -> AsyncIterator[str | bytes]:
    """Pass server-sent events through, counting the final answer like a non-streamed one."""
    async for chunk in chunks:
        text = chunk if isinstance(chunk, str) else bytes(chunk).decode("utf-8")
        if text.startswith("event: final\n"):
            payload = json.loads(text.split("data: ", 1)[1])
            observe_answer(str(payload.get("mode")), payload.get("timings") or {}, payload.get("generation"))
        yield chunk if isinstance(chunk, str | bytes) else bytes(chunk)
