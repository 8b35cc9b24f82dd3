"""Runs one ask in a worker thread and turns it into an ordered stream of events.

Order, always: `sources` (once), `token` (zero or more), then `final` (the checked answer JSON) or
`error` ({status, detail}). The final event's `answer` is authoritative: citation checking or a
fallback may replace what the tokens said.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ventanilla.answer.service import AskError, AskResult, AskService
from ventanilla.retrieval.hybrid import Source


@dataclass
class Event:
    kind: str  # sources | token | final | error
    data: Any

    def sse(self) -> str:
        return f"event: {self.kind}\ndata: {json.dumps(self.data, ensure_ascii=False)}\n\n"


class _QueueSink:
    def __init__(self, events: queue.Queue[Event | None], service_sources: Callable[[Sequence[Source]], Any]):
        self.events = events
        self.to_json = service_sources
        self.sent_sources = False
        self.sent_tokens = False

    def sources(self, sources: Sequence[Source]) -> None:
        self.sent_sources = True
        self.events.put(Event("sources", self.to_json(sources)))

    def token(self, text: str) -> None:
        self.sent_tokens = True
        self.events.put(Event("token", {"text": text}))


def sources_json(sources: Sequence[Source], language: str) -> list[dict[str, Any]]:
    return list(AskResult("", "extractive", language, list(sources), [], 0.0).as_json()["sources"])


def stream_ask(service: AskService, language: str, **ask_kwargs: Any) -> Iterator[Event]:
    """Events of one `service.ask(**ask_kwargs)`; `language` is the request language for errors."""
    events: queue.Queue[Event | None] = queue.Queue()
    sink = _QueueSink(events, lambda s: sources_json(s, language))

    def work() -> None:
        try:
            result = service.ask(sink=sink, **ask_kwargs)
            payload = result.as_json()
            payload["timings"] = {k: round(v, 1) for k, v in result.timings.items()}
            if not sink.sent_sources:
                events.put(Event("sources", payload["sources"]))
            if not sink.sent_tokens:
                events.put(Event("token", {"text": payload["answer"]}))
            events.put(Event("final", payload))
        except AskError as exc:
            events.put(Event("error", {"status": exc.status, "detail": str(exc)}))
        except Exception as exc:  # reported to the client, never a silent hang
            events.put(Event("error", {"status": 500, "detail": f"{type(exc).__name__}: {exc}"}))
        finally:
            events.put(None)

    threading.Thread(target=work, name="ask-stream", daemon=True).start()
    while (event := events.get()) is not None:
        yield event


def first_and_rest(events: Iterator[Event]) -> tuple[Event, Iterator[Event]]:
    """Peek the first event (so a request error can still become a plain 4xx/5xx response)."""
    first = next(events)

    def rest() -> Iterator[Event]:
        yield first
        yield from events

    return first, rest()
