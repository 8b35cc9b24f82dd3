"""Load test of `POST /v1/ask`: N concurrent clients for T seconds against a real `ventanilla serve`
(started here as a separate process on the current VENTANILLA_* settings and data dir).

Prints requests/s, p50/p95/max latency of 200s, 429s, other errors, and audit records written versus
answers served (every answer must have its record).

    PYTHONPATH=platform .venv/bin/python bench/load.py --clients 20 --seconds 60 --domain tax
    ... --per-minute 60 --address-per-minute 10     # a citizen key with limits: shows the 429s
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ventanilla.audit.auditor import Auditor
from ventanilla.auth.keys import KeyStore
from ventanilla.settings import get_settings

QUESTIONS = (
    "¿Cuál es el plazo para presentar la declaración del impuesto sobre la renta?",
    "¿Qué es la prescripción en la Ley General Tributaria?",
    "¿Cuándo se puede solicitar un aplazamiento de una deuda tributaria?",
    "¿Qué infracciones tributarias se consideran graves?",
    "¿Quién está obligado a pagar el impuesto sobre bienes inmuebles?",
    "¿Qué recargos se aplican por presentar una declaración fuera de plazo?",
    "¿Qué es el domicilio fiscal?",
    "¿Cómo se interpone una reclamación económico-administrativa?",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "platform")}
    command = [sys.executable, "-m", "ventanilla.cli", "serve", "--port", str(port), "--no-demo"]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not start")


async def client(url: str, token: str, domain: str, stop: float, n: int, out: dict[str, list[float]]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=url, timeout=60, headers=headers) as http:
        i = n
        while time.monotonic() < stop:
            question = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            started = time.perf_counter()
            try:
                response = await http.post("/v1/ask", json={"question": question, "domain": domain})
                status = str(response.status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            out.setdefault(status, []).append(time.perf_counter() - started)
            if status == "429":
                await asyncio.sleep(1.0)


async def load(url: str, token: str, domain: str, clients: int, seconds: float) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    stop = time.monotonic() + seconds
    await asyncio.gather(*(client(url, token, domain, stop, n, out) for n in range(clients)))
    return out


def main() -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--domain", default="tax")
    parser.add_argument("--per-minute", type=int, default=0, help="citizen key limit (0: unlimited)")
    parser.add_argument("--per-day", type=int, default=0)
    parser.add_argument("--address-per-minute", type=int, default=None, help="server's per-address limit")
    args = parser.parse_args()
    if args.address_per_minute is not None:
        os.environ["VENTANILLA_CITIZEN_ADDRESS_PER_MINUTE"] = str(args.address_per_minute)
    settings = get_settings()
    limits = {"per_minute": args.per_minute, "per_day": args.per_day}
    token, key = KeyStore(settings).create("bench-load", "citizen", **limits)
    auditor = Auditor(settings)
    before = auditor.store.count()
    port = free_port()
    server = start_server(port)
    try:  # one warm-up answer (model load, caches), not counted
        warm = httpx.post(
            f"http://127.0.0.1:{port}/v1/ask", json={"question": QUESTIONS[0], "domain": args.domain},
            headers={"Authorization": f"Bearer {token}"}, timeout=120,
        )  # fmt: skip
        warm.raise_for_status()
        before = auditor.store.count()
        started = time.perf_counter()
        out = asyncio.run(load(f"http://127.0.0.1:{port}", token, args.domain, args.clients, args.seconds))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        KeyStore(settings).revoke(key.id)
    written = auditor.store.count() - before
    auditor.close()
    ok = sorted(out.get("200", []))
    total = sum(len(v) for v in out.values())
    errors = {k: len(v) for k, v in out.items() if k not in ("200", "429")}
    q = statistics.quantiles(ok, n=100, method="inclusive") if len(ok) >= 2 else [0.0] * 99
    print(
        f"{args.clients} clients x {args.seconds:.0f} s on /v1/ask ({args.domain}, extractive unless "
        f"VENTANILLA_LLM_URL): {total} requests, {len(ok) / elapsed:.1f} answers/s; "
        f"p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, max {(ok[-1] if ok else 0) * 1000:.0f} ms; "
        f"429: {len(out.get('429', []))}; other errors: {errors or 0}; "
        f"audit records written {written} for {len(ok)} answers served"
    )


if __name__ == "__main__":
    main()
