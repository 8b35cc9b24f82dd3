"""Helpers for the generation tests: real HTTP servers in threads, free ports, SSE parsing, and a copy
of the test domain with a small `llm:` block (same index, same name)."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

LLM_BLOCK = """
llm:
  model: salamandra-7b-instruct
  temperature: 0.0
  max_tokens: {max_tokens}
  timeout_s: {timeout_s}
  retries: 0
  max_source_chars: 700
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def llm_domains_dir(
    mini_env: dict[str, Any], target: Path, max_tokens: int = 40, timeout_s: float = 90.0
) -> Path:
    """The ingested test domain's folder, copied with an `llm:` block (the index is shared by name)."""
    source = Path(mini_env["settings"].domains_dir) / "prueba"
    folder = target / "prueba"
    if not folder.exists():
        shutil.copytree(source, folder)
        with (folder / "domain.yaml").open("a", encoding="utf-8") as handle:
            handle.write(LLM_BLOCK.format(max_tokens=max_tokens, timeout_s=timeout_s))
    return target


class ThreadServer:
    """A real uvicorn server on 127.0.0.1 in a background thread."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def parse_sse(text: str) -> list[tuple[str, Any]]:
    events = []
    for block in text.strip().split("\n\n"):
        kind, data = "message", ""
        for line in block.splitlines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                data += line[6:]
        events.append((kind, json.loads(data)))
    return events
