"""Per-request metrics and JSON access logs: route template, method, status, latency, channel, key id.

The route is the template (`/v1/ask`), never the raw URL; no query string, body or header value is
logged, so nothing a user typed reaches the logs.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from ventanilla.api import logs, metrics


def _route(request: Request) -> str:
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "(unmatched)"


def observe_requests(app: FastAPI) -> None:
    logs.configure()

    @app.middleware("http")
    async def observe(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        seconds = time.perf_counter() - started
        route = _route(request)
        caller = getattr(request.state, "caller", None)
        channel = caller.channel if caller is not None else "-"
        metrics.REQUESTS.labels(route, request.method, str(response.status_code), channel).inc()
        metrics.LATENCY.labels(route).observe(seconds)
        logs.access_log(
            route=route, method=request.method, status=response.status_code, ms=round(seconds * 1000, 1),
            channel=channel, key_id=caller.key.id if caller is not None else None,
        )  # fmt: skip
        return response
