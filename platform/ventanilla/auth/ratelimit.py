"""Sliding-window rate limits, in process: per key and per (key, client address).

One process only: behind several workers or replicas, each counts on its own, so production needs a
shared store (Redis, the API gateway) for exact limits; docs/channels.md says how.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass

WINDOWS: tuple[tuple[str, float], ...] = (("minute", 60.0), ("day", 86400.0))


@dataclass(frozen=True)
class Limits:
    per_minute: int  # 0: unlimited
    per_day: int


class SlidingWindowLimiter:
    """`hit(bucket, limits)` counts one request, or returns the seconds to wait when a window is full."""

    def __init__(self) -> None:
        self._hits: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, bucket: str, limits: Limits, now: float | None = None) -> float | None:
        return self.hit_all([(bucket, limits)], now)[1]

    def hit_all(
        self, buckets: list[tuple[str, Limits]], now: float | None = None
    ) -> tuple[int | None, float | None]:
        """Count one request in every bucket, or in none when one is full: returns (index of the first
        full bucket, seconds to wait), or (None, None)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            queues: list[deque[float]] = []
            for index, (bucket, limits) in enumerate(buckets):
                waits: list[float] = []
                for (window, span), limit in zip(WINDOWS, (limits.per_minute, limits.per_day), strict=True):
                    if limit <= 0:
                        continue
                    hits = self._hits.setdefault((bucket, window), deque())
                    while hits and now - hits[0] >= span:
                        hits.popleft()
                    if len(hits) >= limit:
                        waits.append(span - (now - hits[0]))
                    queues.append(hits)
                if waits:
                    return index, max(1.0, math.ceil(max(waits)))
            for hits in queues:
                hits.append(now)
            return None, None
