"""OpenAPI descriptions of the error responses every route shares (`{"detail": message}`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

ERRORS: dict[int, str] = {
    401: "No API key, or an unknown or revoked one (`WWW-Authenticate: Bearer`).",
    403: "The key lacks the role, the domain, or is a widget key used from another origin.",
    404: "Unknown domain or audit id.",
    422: "Malformed request (empty or too long question, unsupported language, unknown field).",
    429: "Citizen rate limit reached (per key or per client address); see `Retry-After` (seconds).",
    503: "Index not ready, LLM unavailable (on_llm_failure=error) or audit store unavailable.",
}


class ErrorOut(BaseModel):
    detail: str


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    out: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        entry: dict[str, Any] = {"model": ErrorOut, "description": ERRORS[code]}
        if code == 429:
            entry["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}}
        out[code] = entry
    return out
