"""The Haystack chat generator for a domain's `llm:` block, run under a hard deadline.

Any OpenAI-compatible server works (vLLM in production and in the local CPU server). vLLM serves LoRA
adapters as model names, so a domain's adapter is simply the model it asks for. The request is always
streamed: tokens reach the caller as they come, and the deadline is checked between tokens and enforced
by waiting on the worker with a timeout, so the caller never waits past `timeout_s`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Literal

import openai
from haystack.components.generators.chat import OpenAIChatGenerator
from haystack.dataclasses import ChatMessage, StreamingChunk
from haystack.utils import Secret

from ventanilla.domain import LlmConfig

FailureReason = Literal["timeout", "unreachable", "error"]
TokenCallback = Callable[[str], None]

_POOL = ThreadPoolExecutor(max_workers=16, thread_name_prefix="llm")


class LlmUnavailableError(RuntimeError):
    """The endpoint is down, too slow or answered with an error."""

    def __init__(self, reason: FailureReason, detail: str) -> None:
        super().__init__(f"LLM {reason}: {detail}")
        self.reason: FailureReason = reason


class _Cancelled(Exception):
    """Raised inside the streaming callback once the caller has given up."""


@dataclass
class Generation:
    text: str
    model: str
    llm_ms: float
    ttft_ms: float | None
    finish_reason: str | None


def make_chat_generator(base_url: str, api_key: str, llm: LlmConfig) -> OpenAIChatGenerator:
    """An OpenAIChatGenerator pointed at `base_url` (…/v1) with the domain's sampling and limits."""
    generator = OpenAIChatGenerator(
        api_key=Secret.from_token(api_key),
        model=llm.served_model,
        api_base_url=base_url,
        generation_kwargs={"temperature": llm.temperature, "top_p": llm.top_p, "max_tokens": llm.max_tokens},
        timeout=llm.timeout_s,
        max_retries=llm.retries,
    )
    generator.warm_up()
    return generator


def generate(
    generator: OpenAIChatGenerator,
    messages: list[ChatMessage],
    timeout_s: float,
    on_token: TokenCallback | None = None,
) -> Generation:
    """Stream one completion; raise LlmUnavailableError on failure or when `timeout_s` is exceeded."""
    cancelled = threading.Event()
    started = time.perf_counter()
    first_token: list[float] = []

    def callback(chunk: StreamingChunk) -> None:
        if cancelled.is_set():
            raise _Cancelled
        if chunk.content:
            if not first_token:
                first_token.append(time.perf_counter())
            if on_token is not None:
                on_token(chunk.content)

    future = _POOL.submit(generator.run, messages=messages, streaming_callback=callback)
    try:
        replies = future.result(timeout=timeout_s)["replies"]
    except FutureTimeout as exc:
        cancelled.set()
        raise LlmUnavailableError("timeout", f"no complete answer within {timeout_s:g} s") from exc
    except openai.APITimeoutError as exc:
        raise LlmUnavailableError("timeout", str(exc)) from exc
    except openai.APIConnectionError as exc:
        raise LlmUnavailableError("unreachable", str(exc)) from exc
    except openai.APIStatusError as exc:
        raise LlmUnavailableError("error", f"HTTP {exc.status_code}: {exc.message}") from exc
    except Exception as exc:  # any other client or protocol failure is an unavailable LLM too
        raise LlmUnavailableError("error", f"{type(exc).__name__}: {exc}") from exc
    finished = time.perf_counter()
    reply = replies[0] if replies else None
    return Generation(
        text=(reply.text or "") if reply is not None else "",
        model=str(reply.meta.get("model", generator.model)) if reply is not None else generator.model,
        llm_ms=(finished - started) * 1000,
        ttft_ms=(first_token[0] - started) * 1000 if first_token else None,
        finish_reason=str(reply.meta.get("finish_reason")) if reply is not None else None,
    )
